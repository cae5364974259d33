import { useState } from 'react';
import { Anchor, Badge, Button, Code, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, type Paged, type Project, type Run, type Task } from '../api';
import { formatTime, useLoad } from '../hooks';
import { useRunEvents } from '../live';
import { describeCron } from '../components/CronHelper';
import { ErrorAlert } from '../components/ErrorAlert';
import { RunsTable } from '../components/RunsTable';
import { StatusBadge } from '../components/StatusBadge';
import { confirm, taskState } from './ProjectPage';

function CopyDialog({ task, opened, onClose }: { task: Task; opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const projects = useLoad((signal) => api<Paged<Project>>('/projects?pageSize=500', { signal }), []);
  const [target, setTarget] = useState<string | null>(String(task.projectId));
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const apiError = error instanceof ApiError ? error : null;
  return (
    <Modal opened={opened} onClose={onClose} title={t('tasks.copy')}>
      <form onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api<Task>(`/projects/${task.projectId}/tasks/${task.id}/copy`, { method: 'POST', body: { targetProjectId: Number(target), name: name || undefined } })
          .then((copy) => {
            notifications.show({ color: 'green', message: t('tasks.copied', { name: copy.name }) });
            onClose();
            navigate(`/projects/${copy.projectId}/tasks/${copy.id}`);
          })
          .catch(setError);
      }}>
        <Stack>
          <Select label={t('tasks.copyTo')} value={target} onChange={setTarget} error={apiError?.field('targetProjectId')}
            data={(projects.data?.items ?? []).filter((p) => p.role !== 'viewer').map((p) => ({ value: String(p.id), label: p.name }))} />
          <TextInput label={t('tasks.copyName')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={apiError?.field('name')} />
          <ErrorAlert error={error} shownFields={['targetProjectId', 'name']} />
          <Group justify="flex-end"><Button type="submit">{t('tasks.copy')}</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TaskPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const projectId = Number(params.projectId);
  const taskId = Number(params.taskId);
  const task = useLoad((signal) => api<Task>(`/projects/${projectId}/tasks/${taskId}`, { signal }), [projectId, taskId]);
  const project = useLoad((signal) => api<Project>(`/projects/${projectId}`, { signal }), [projectId]);
  const active = useLoad(async (signal) => {
    const running = await api<Paged<Run>>(`/projects/${projectId}/tasks/${taskId}/runs?status=running&pageSize=20`, { signal });
    const pending = await api<Paged<Run>>(`/projects/${projectId}/tasks/${taskId}/runs?status=pending&pageSize=20`, { signal });
    return [...running.items, ...pending.items];
  }, [projectId, taskId]);
  const [error, setError] = useState<unknown>(null);
  const [copying, setCopying] = useState(false);
  useRunEvents((e) => {
    if (e.taskId === taskId) {
      void task.reload();
      void active.reload();
    }
  }, () => {
    void task.reload();
    void active.reload();
  });

  const act = (path: string) => {
    setError(null);
    return api<Task>(`/projects/${projectId}/tasks/${taskId}/${path}`, { method: 'POST' }).then((r) => { if (r && 'cron' in r) task.setData(r); }).catch(setError);
  };

  const x = task.data;
  if (task.error) return <ErrorAlert error={task.error} />;
  if (!x) return <Text>{t('common.loading')}</Text>;
  const canManage = project.data ? project.data.role !== 'viewer' : false;
  return (
    <Stack>
      <Anchor component={Link} to={`/projects/${projectId}/tasks`} size="sm">← {project.data?.name ?? t('projects.title')}</Anchor>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2}>{x.name}</Title>
          <StatusBadge status={taskState(x)} />
        </Group>
        {canManage && (
          <Group gap="xs">
            <Button data-testid="run-now" onClick={() => {
              setError(null);
              api<{ runId: number }>(`/projects/${projectId}/tasks/${taskId}/run`, { method: 'POST' })
                .then((r) => { notifications.show({ color: 'green', message: t('tasks.started', { id: r.runId }) }); navigate(`/runs/${r.runId}`); })
                .catch(setError);
            }}>{t('tasks.runNow')}</Button>
            {x.enabled
              ? <Button variant="default" data-testid="pause" onClick={() => void act('pause')}>{t('tasks.pause')}</Button>
              : <Button variant="default" data-testid="resume" onClick={() => void act('resume')}>{t('tasks.resume')}</Button>}
            <Button variant="default" component={Link} to={`/projects/${projectId}/tasks/${taskId}/edit`}>{t('common.edit')}</Button>
            <Button variant="default" onClick={() => setCopying(true)}>{t('tasks.copy')}</Button>
            <Button variant="light" color="red" onClick={() => confirm(t('tasks.deleteConfirm', { name: x.name }), () => {
              void api(`/projects/${projectId}/tasks/${taskId}`, { method: 'DELETE' }).then(() => navigate(`/projects/${projectId}/tasks`)).catch(setError);
            }, { confirm: t('common.delete'), cancel: t('common.cancel') })}>{t('common.delete')}</Button>
          </Group>
        )}
      </Group>
      <ErrorAlert error={error} />
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          <div><Text size="xs" c="dimmed">{t('tasks.cron')}</Text><Code>{x.cron}</Code><Text size="xs">{describeCron(x.cron, i18n.language)}</Text></div>
          <div><Text size="xs" c="dimmed">{t('tasks.timeZone')}</Text><Text size="sm">{x.timeZone}</Text></div>
          <div><Text size="xs" c="dimmed">{t('tasks.next')}</Text><Text size="sm">{x.enabled ? formatTime(x.nextFireAt, x.timeZone) : '—'}</Text></div>
          <div><Text size="xs" c="dimmed">{t('tasks.executor')}</Text><Text size="sm">{x.executor}</Text></div>
          <div><Text size="xs" c="dimmed">{t('tasks.timeout')}</Text><Text size="sm">{x.timeoutSeconds}</Text></div>
          <div><Text size="xs" c="dimmed">{t('tasks.overlap')} / {t('tasks.misfire')}</Text><Text size="sm">{x.overlap} / {x.misfire}</Text></div>
        </SimpleGrid>
        <Code block mt="sm">{JSON.stringify(x.config, null, 2)}</Code>
        {x.scheduleError && <Text c="red" size="sm" mt="sm">{t('tasks.scheduleError')}: {x.scheduleError}</Text>}
        {Object.keys(x.labels).length > 0 && <Group gap={4} mt="sm">{Object.entries(x.labels).map(([k, v]) => <Badge key={k} variant="outline">{k}={v}</Badge>)}</Group>}
      </Paper>
      {active.data && active.data.length > 0 && (
        <Paper withBorder p="md" data-testid="active-runs">
          <Stack gap="xs">
            {active.data.map((r) => (
              <Group key={r.id} justify="space-between">
                <Group gap="xs"><Anchor component={Link} to={`/runs/${r.id}`}>#{r.id}</Anchor><StatusBadge status={r.status} /><Text size="sm">{r.agent}</Text></Group>
                {canManage && <Button size="xs" color="red" variant="light" onClick={() => void api(`/runs/${r.id}/kill`, { method: 'POST' }).catch(setError)}>{t('runs.kill')}</Button>}
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <Title order={4}>{t('runs.title')}</Title>
      <RunsTable projectId={projectId} taskId={taskId} />
      {copying && <CopyDialog task={x} opened={copying} onClose={() => setCopying(false)} />}
    </Stack>
  );
}
