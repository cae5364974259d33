import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, type Executor, type Task } from '../api';
import { useLoad } from '../hooks';
import { CronHelper } from '../components/CronHelper';
import { SchemaForm, linesToMap, mapToLines } from '../components/SchemaForm';
import { ErrorAlert } from '../components/ErrorAlert';

interface Draft {
  name: string; cron: string; timeZone: string; executor: string; config: Record<string, unknown>; timeoutSeconds: number | '';
  enabled: boolean; overlap: string; misfire: string; parallel: boolean; retryAttempts: number | ''; retryBackoff: number | ''; remark: string; labels: string;
}

const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

function fromTask(task: Task | null): Draft {
  return {
    name: task?.name ?? '', cron: task?.cron ?? '0 * * * *', timeZone: task?.timeZone ?? 'UTC', executor: task?.executor ?? 'shell',
    config: (task?.config as Record<string, unknown>) ?? {}, timeoutSeconds: task?.timeoutSeconds ?? 300, enabled: task?.enabled ?? true,
    overlap: task?.overlap ?? 'allow', misfire: task?.misfire ?? 'skip', parallel: task?.parallel ?? false,
    retryAttempts: task?.retry.attempts ?? 0, retryBackoff: task?.retry.backoffSeconds ?? 0, remark: task?.remark ?? '', labels: mapToLines(task?.labels ?? {}),
  };
}

/** The API's name for a form field, where it differs from the draft's. */
const apiFieldOf: Partial<Record<keyof Draft, string>> = { retryAttempts: 'retry.attempts', retryBackoff: 'retry.backoffSeconds' };

/** Create or edit a task: cron helper, executor form from the executor's schema, and every API error beside its field. */
export function TaskEditPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const projectId = Number(params.projectId);
  const taskId = params.taskId ? Number(params.taskId) : null;
  const executors = useLoad((signal) => api<{ executors: Executor[] }>(`/executors?projectId=${projectId}`, { signal }), [projectId]);
  const existing = useLoad((signal) => (taskId ? api<Task>(`/projects/${projectId}/tasks/${taskId}`, { signal }) : Promise.resolve(null)), [projectId, taskId]);
  const [draft, setDraft] = useState<Draft>(fromTask(null));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (existing.data) setDraft(fromTask(existing.data));
  }, [existing.data]);

  // A field's error stays beside it until the field is edited (then it is the user's new value, not the refused one).
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const apiError = error instanceof ApiError ? error : null;
  const f = (name: string) => (edited.has(name) ? undefined : apiError?.field(name));
  const executor = executors.data?.executors.find((e) => e.kind === draft.executor);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setEdited((e) => new Set(e).add(apiFieldOf[key] ?? key));
  };
  const configErrors = useMemo(() => (edited.has('config') ? {} : apiError?.fieldsUnder('config') ?? {}), [apiError, edited]);

  const submit = () => {
    setBusy(true);
    setError(null);
    setEdited(new Set());
    const body = {
      name: draft.name, cron: draft.cron, timeZone: draft.timeZone || undefined, executor: draft.executor, config: draft.config,
      timeoutSeconds: draft.timeoutSeconds === '' ? undefined : draft.timeoutSeconds, enabled: draft.enabled, overlap: draft.overlap,
      misfire: draft.misfire, parallel: draft.parallel,
      retry: { attempts: draft.retryAttempts === '' ? 0 : draft.retryAttempts, backoffSeconds: draft.retryBackoff === '' ? 0 : draft.retryBackoff },
      remark: draft.remark, labels: linesToMap(draft.labels),
    };
    api<Task>(taskId ? `/projects/${projectId}/tasks/${taskId}` : `/projects/${projectId}/tasks`, { method: taskId ? 'PUT' : 'POST', body })
      .then((saved) => {
        for (const w of saved.warnings ?? []) notifications.show({ color: 'yellow', message: w });
        navigate(`/projects/${projectId}/tasks/${saved.id}`);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  return (
    <Stack maw={900}>
      <Anchor component={Link} to={taskId ? `/projects/${projectId}/tasks/${taskId}` : `/projects/${projectId}/tasks`} size="sm">← {t('common.back')}</Anchor>
      <Title order={2}>{taskId ? t('tasks.edit') : t('tasks.new')}</Title>
      <form onSubmit={(e) => { e.preventDefault(); submit(); }} noValidate>
        <Stack>
          <Paper withBorder p="md">
            <Stack>
              <TextInput label={t('common.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={f('name')} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <CronHelper value={draft.cron} onChange={(v) => set('cron', v)} timeZone={draft.timeZone} error={f('cron')} />
                <Select label={t('tasks.timeZone')} searchable data={ZONES.includes('UTC') ? ZONES : ['UTC', ...ZONES]} value={draft.timeZone}
                  onChange={(v) => set('timeZone', v ?? 'UTC')} error={f('timeZone')} />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack>
              <Select label={t('tasks.executor')} value={draft.executor} error={f('executor')}
                data={(executors.data?.executors ?? [{ kind: draft.executor, displayName: draft.executor } as Executor]).map((e) => ({ value: e.kind, label: `${e.displayName} (${e.kind})` }))}
                onChange={(v) => { if (v && v !== draft.executor) setDraft((d) => ({ ...d, executor: v, config: {} })); }} />
              {executor?.description && <Text size="sm" c="dimmed">{executor.description}</Text>}
              <Text fw={500} size="sm">{t('tasks.config')}</Text>
              {executor ? (
                <SchemaForm schema={executor.configurationSchema} value={draft.config} onChange={(c) => set('config', c)} errors={configErrors} />
              ) : <Text size="sm" c="dimmed">{t('common.loading')}</Text>}
              {f('config') && <Alert color="red">{f('config')}</Alert>}
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              <NumberInput label={t('tasks.timeout')} min={1} value={draft.timeoutSeconds} onChange={(v) => set('timeoutSeconds', typeof v === 'number' ? v : '')} error={f('timeoutSeconds')} />
              <Select label={t('tasks.overlap')} data={['allow', 'forbid', 'replace']} value={draft.overlap} onChange={(v) => set('overlap', v ?? 'allow')} error={f('overlap')} />
              <Select label={t('tasks.misfire')} data={['skip', 'fireOnce', 'fireAll']} value={draft.misfire} onChange={(v) => set('misfire', v ?? 'skip')} error={f('misfire')} />
              <NumberInput label={t('tasks.retryAttempts')} min={0} max={10} value={draft.retryAttempts} onChange={(v) => set('retryAttempts', typeof v === 'number' ? v : '')} error={f('retry.attempts')} />
              <NumberInput label={t('tasks.retryBackoff')} min={0} value={draft.retryBackoff} onChange={(v) => set('retryBackoff', typeof v === 'number' ? v : '')} error={f('retry.backoffSeconds')} />
              <Textarea label={t('tasks.labels')} placeholder="zone=north" autosize minRows={1} value={draft.labels} onChange={(e) => set('labels', e.currentTarget.value)} error={edited.has('labels') ? undefined : apiError?.field('labels') ?? (Object.values(apiError?.fieldsUnder('labels') ?? {}).join(' ') || undefined)} />
            </SimpleGrid>
            <Group mt="md">
              <Switch label={t('tasks.enabledField')} checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
              <Switch label={t('tasks.parallel')} checked={draft.parallel} onChange={(e) => set('parallel', e.currentTarget.checked)} />
            </Group>
            <Textarea mt="md" label={t('common.remark')} value={draft.remark} onChange={(e) => set('remark', e.currentTarget.value)} error={f('remark')} />
          </Paper>
          <ErrorAlert error={error} shownFields={['name', 'cron', 'timeZone', 'executor', 'config', 'config.', 'timeoutSeconds', 'overlap', 'misfire', 'retry.attempts', 'retry.backoffSeconds', 'labels', 'labels.', 'remark']} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>{taskId ? t('common.save') : t('common.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
