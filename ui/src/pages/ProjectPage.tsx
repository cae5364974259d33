import { useMemo, useState } from 'react';
import { ActionIcon, Anchor, Badge, Button, Code, CopyButton, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, type Agent, type Member, type Paged, type Project, type Task } from '../api';
import { useAuth } from '../auth';
import { formatTime, useLoad } from '../hooks';
import { useLive, useRunEvents } from '../live';
import { AgentsTable } from '../components/AgentsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { RunsTable } from '../components/RunsTable';
import { StatusBadge } from '../components/StatusBadge';
import { ProjectForm } from './ProjectsPage';

export function taskState(task: Task): string {
  if (task.runningRuns > 0) return 'running';
  return task.enabled ? 'scheduled' : 'paused';
}

export function confirm(message: string, onConfirm: () => void, labels: { confirm: string; cancel: string }, danger = true) {
  modals.openConfirmModal({
    children: <Text size="sm">{message}</Text>,
    labels,
    confirmProps: { color: danger ? 'red' : undefined, 'data-testid': 'confirm' } as Record<string, unknown>,
    onConfirm,
  });
}

function TasksTab({ project }: { project: Project }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const tasks = useLoad((signal) => api<Paged<Task>>(`/projects/${project.id}/tasks?search=${encodeURIComponent(debounced)}&pageSize=500`, { signal }), [project.id, debounced]);
  useRunEvents((e) => {
    if (e.projectId === project.id) void tasks.reload();
  }, () => void tasks.reload());
  const canManage = project.role !== 'viewer';
  return (
    <Stack>
      <Group justify="space-between">
        <TextInput aria-label={t('common.search')} placeholder={t('common.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: 1, maxWidth: 360 }} />
        {canManage && <Button component={Link} to={`/projects/${project.id}/tasks/new`}>{t('tasks.new')}</Button>}
      </Group>
      <ErrorAlert error={tasks.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table highlightOnHover data-testid="tasks-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('tasks.status')}</Table.Th>
              <Table.Th>{t('tasks.cron')}</Table.Th>
              <Table.Th>{t('tasks.executor')}</Table.Th>
              <Table.Th>{t('tasks.next')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data?.items.map((task) => (
              <Table.Tr key={task.id} data-task-name={task.name}>
                <Table.Td><Anchor component={Link} to={`/projects/${project.id}/tasks/${task.id}`}>{task.name}</Anchor></Table.Td>
                <Table.Td><StatusBadge status={taskState(task)} /></Table.Td>
                <Table.Td><Code>{task.cron}</Code></Table.Td>
                <Table.Td>{task.executor}</Table.Td>
                <Table.Td>{task.enabled ? formatTime(task.nextFireAt) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {tasks.data?.items.length === 0 && <Text c="dimmed" size="sm">{t('common.none')}</Text>}
    </Stack>
  );
}

function MembersTab({ project }: { project: Project }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const members = useLoad((signal) => api<Member[]>(`/projects/${project.id}/members`, { signal }), [project.id]);
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<string | null>('viewer');
  const [error, setError] = useState<unknown>(null);
  const isAdmin = project.role === 'admin';
  const apiError = error instanceof ApiError ? error : null;
  const roles = ['admin', 'manager', 'viewer'];
  const list = Array.isArray(members.data) ? members.data : ((members.data as unknown as { items?: Member[] })?.items ?? []);
  return (
    <Stack>
      <ErrorAlert error={members.error} />
      <Table>
        <Table.Tbody>
          {list.map((m) => (
            <Table.Tr key={m.userId}>
              <Table.Td>{m.name} <Text span c="dimmed" size="sm">({m.account})</Text></Table.Td>
              <Table.Td>
                {isAdmin ? (
                  <Select aria-label={`${t('projects.memberRole')} ${m.account}`} size="xs" w={130} data={roles} value={m.role}
                    onChange={(v) => v && api(`/projects/${project.id}/members/${m.userId}`, { method: 'PUT', body: { role: v } }).then(members.reload).catch(setError)} />
                ) : <Badge variant="light">{m.role}</Badge>}
              </Table.Td>
              <Table.Td ta="right">
                {(isAdmin || m.userId === user?.id) && (
                  <Button size="xs" variant="subtle" color="red"
                    onClick={() => api(`/projects/${project.id}/members/${m.userId}`, { method: 'DELETE' }).then(members.reload).catch(setError)}>
                    {t('projects.remove')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {isAdmin && (
        <form onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api(`/projects/${project.id}/members`, { method: 'POST', body: { account, role } })
            .then(() => { setAccount(''); void members.reload(); })
            .catch(setError);
        }}>
          <Group align="flex-start">
            <TextInput label={t('projects.account')} value={account} onChange={(e) => setAccount(e.currentTarget.value)} error={apiError?.field('account')} />
            <Select label={t('projects.memberRole')} data={roles} value={role} onChange={setRole} error={apiError?.field('role')} w={140} />
            <Button type="submit" mt={24}>{t('projects.addMember')}</Button>
          </Group>
        </form>
      )}
      <ErrorAlert error={error} shownFields={['account', 'role']} />
    </Stack>
  );
}

function TokenTab({ project }: { project: Project }) {
  const { t } = useTranslation();
  const token = useLoad((signal) => api<{ token: string }>(`/projects/${project.id}/token`, { signal }), [project.id]);
  const [shown, setShown] = useState(false);
  const value = token.data?.token ?? '';
  return (
    <Paper withBorder p="md">
      <Stack>
        <Text size="sm">{t('projects.tokenHelp')}</Text>
        <ErrorAlert error={token.error} />
        <Group wrap="nowrap">
          <Code data-testid="project-token" style={{ flex: 1, overflowWrap: 'anywhere' }}>{shown ? value : '•'.repeat(Math.min(32, value.length || 32))}</Code>
          <Button variant="default" size="xs" onClick={() => setShown((s) => !s)}>{shown ? t('projects.hide') : t('projects.show')}</Button>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
                <ActionIcon variant="default" size="lg" onClick={copy} aria-label={t('common.copy')}>{copied ? '✓' : '⧉'}</ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group>
          <Button color="red" variant="light"
            onClick={() => confirm(t('projects.regenerateConfirm'), () => {
              void api<{ token: string }>(`/projects/${project.id}/token`, { method: 'POST' }).then((r) => { token.setData(r); setShown(true); });
            }, { confirm: t('projects.regenerate'), cancel: t('common.cancel') })}>
            {t('projects.regenerate')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function AgentsTab({ project }: { project: Project }) {
  const { user } = useAuth();
  const live = useLive();
  const agents = useLoad((signal) => api<Agent[]>(`/projects/${project.id}/agents`, { signal }), [project.id]);
  // The live list carries every visible agent; keep the ones that serve this project.
  const list = useMemo(() => {
    if (live.agents) return live.agents.filter((a) => a.projects === null || a.projects.includes(project.id));
    return agents.data ?? [];
  }, [live.agents, agents.data, project.id]);
  return <AgentsTable agents={list} canEditWeight={user?.isAdmin === true || project.role === 'admin'} />;
}

export function ProjectPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const projectId = Number(params.projectId);
  const tab = params.tab ?? 'tasks';
  const project = useLoad((signal) => api<Project>(`/projects/${projectId}`, { signal }), [projectId]);
  const tasks = useLoad((signal) => api<Paged<Task>>(`/projects/${projectId}/tasks?pageSize=500`, { signal }), [projectId]);
  const [editing, setEditing] = useState(false);
  const taskNames = useMemo(() => Object.fromEntries((tasks.data?.items ?? []).map((x) => [x.id, x.name])), [tasks.data]);
  const p = project.data;

  if (project.error) return <ErrorAlert error={project.error} />;
  if (!p) return <Text>{t('common.loading')}</Text>;
  return (
    <Stack>
      <Anchor component={Link} to="/projects" size="sm">← {t('projects.title')}</Anchor>
      <Group justify="space-between">
        <div>
          <Title order={2}>{p.name}</Title>
          <Text c="dimmed" size="sm">{p.remark}</Text>
        </div>
        <Badge size="lg" variant="light">{t('projects.role')}: {p.role}</Badge>
      </Group>
      <Tabs value={tab} onChange={(v) => navigate(`/projects/${projectId}/${v}`)} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto' }}>
          <Tabs.Tab value="tasks">{t('projects.tasks')}</Tabs.Tab>
          <Tabs.Tab value="runs">{t('projects.runs')}</Tabs.Tab>
          <Tabs.Tab value="agents">{t('projects.agents')}</Tabs.Tab>
          <Tabs.Tab value="members">{t('projects.members')}</Tabs.Tab>
          {p.role === 'admin' && <Tabs.Tab value="token">{t('projects.token')}</Tabs.Tab>}
          {p.role === 'admin' && <Tabs.Tab value="settings">{t('projects.settings')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="tasks" pt="md"><TasksTab project={p} /></Tabs.Panel>
        <Tabs.Panel value="runs" pt="md"><RunsTable projectId={p.id} taskNames={taskNames} /></Tabs.Panel>
        <Tabs.Panel value="agents" pt="md"><AgentsTab project={p} /></Tabs.Panel>
        <Tabs.Panel value="members" pt="md"><MembersTab project={p} /></Tabs.Panel>
        <Tabs.Panel value="token" pt="md"><TokenTab project={p} /></Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <Group>
            <Button onClick={() => setEditing(true)}>{t('projects.edit')}</Button>
            <Button color="red" variant="light" onClick={() => confirm(t('projects.deleteConfirm', { name: p.name }), () => {
              void api(`/projects/${p.id}`, { method: 'DELETE' }).then(() => navigate('/projects'));
            }, { confirm: t('common.delete'), cancel: t('common.cancel') })}>{t('common.delete')}</Button>
          </Group>
        </Tabs.Panel>
      </Tabs>
      <Modal opened={editing} onClose={() => setEditing(false)} title={t('projects.edit')}>
        <ProjectForm project={p} onCancel={() => setEditing(false)} onSaved={(saved) => { setEditing(false); project.setData(saved); }} />
      </Modal>
    </Stack>
  );
}
