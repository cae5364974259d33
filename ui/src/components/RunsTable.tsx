import { useState } from 'react';
import { Anchor, Group, Pagination, Select, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Paged, type Run } from '../api';
import { formatDuration, formatTime, useLoad } from '../hooks';
import { useRunEvents } from '../live';
import { StatusBadge } from './StatusBadge';
import { ErrorAlert } from './ErrorAlert';

const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'timedOut', 'killed', 'skipped', 'lost'];

/** Run history (newest first) of a project or one task; new runs and status changes appear live. */
export function RunsTable({ projectId, taskId, taskNames }: { projectId: number; taskId?: number; taskNames?: Record<number, string> }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string | null>(null);
  const pageSize = 20;
  const base = taskId ? `/projects/${projectId}/tasks/${taskId}/runs` : `/projects/${projectId}/runs`;
  const runs = useLoad(
    (signal) => api<Paged<Run>>(`${base}?page=${page}&pageSize=${pageSize}${status ? `&status=${status}` : ''}`, { signal }),
    [base, page, status],
  );
  useRunEvents((e) => {
    if (e.projectId !== projectId || (taskId && e.taskId !== taskId)) return;
    void runs.reload();
  }, () => void runs.reload());

  return (
    <div>
      <Group mb="sm">
        <Select aria-label={t('runs.status')} placeholder={t('runs.status')} clearable value={status} w={180}
          data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} onChange={(v) => { setStatus(v); setPage(1); }} />
      </Group>
      <ErrorAlert error={runs.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover data-testid="runs-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('runs.id')}</Table.Th>
              {!taskId && <Table.Th>{t('runs.task')}</Table.Th>}
              <Table.Th>{t('runs.status')}</Table.Th>
              <Table.Th>{t('runs.trigger')}</Table.Th>
              <Table.Th>{t('runs.scheduled')}</Table.Th>
              <Table.Th>{t('runs.duration')}</Table.Th>
              <Table.Th>{t('runs.agent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data?.items.map((r) => (
              <Table.Tr key={r.id} data-run-id={r.id}>
                <Table.Td><Anchor component={Link} to={`/runs/${r.id}`}>#{r.id}</Anchor></Table.Td>
                {!taskId && (
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${projectId}/tasks/${r.taskId}`}>{taskNames?.[r.taskId] ?? `#${r.taskId}`}</Anchor>
                  </Table.Td>
                )}
                <Table.Td><StatusBadge status={r.status} /></Table.Td>
                <Table.Td>{r.trigger}{r.attempt > 1 ? ` (${r.attempt})` : ''}</Table.Td>
                <Table.Td>{formatTime(r.scheduledAt)}</Table.Td>
                <Table.Td>{formatDuration(r.durationMs)}</Table.Td>
                <Table.Td>{r.agent ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {runs.data && runs.data.items.length === 0 && <Text c="dimmed" size="sm">{t('common.none')}</Text>}
      {runs.data && runs.data.total > pageSize && (
        <Pagination mt="sm" value={page} onChange={setPage} total={Math.ceil(runs.data.total / pageSize)} />
      )}
    </div>
  );
}
