import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Cluster, type Dashboard } from '../api';
import { formatTime, useLoad } from '../hooks';
import { useLive, useRunEvents } from '../live';
import { StatusBadge } from '../components/StatusBadge';
import { ErrorAlert } from '../components/ErrorAlert';
import { useRef } from 'react';

export function DashboardPage() {
  const { t } = useTranslation();
  const { agents } = useLive();
  const offset = -new Date().getTimezoneOffset();
  const dashboard = useLoad((signal) => api<Dashboard>(`/reports/dashboard?days=14&utcOffsetMinutes=${offset}`, { signal }), []);
  const cluster = useLoad((signal) => api<Cluster>('/cluster', { signal }), []);

  // Ended runs change the numbers: reload, at most every few seconds.
  const pending = useRef<number | null>(null);
  useRunEvents((e) => {
    if (['pending', 'running'].includes(e.status) || pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      void dashboard.reload();
    }, 3000);
  });

  const chart = (dashboard.data?.days ?? []).map((d) => ({
    date: d.date.slice(5),
    [t('dashboard.succeeded')]: d.runs.succeeded ?? 0,
    [t('dashboard.failed')]: (d.runs.failed ?? 0) + (d.runs.timedOut ?? 0) + (d.runs.lost ?? 0),
  }));
  const online = agents?.filter((a) => a.connected).length;

  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      <ErrorAlert error={dashboard.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Text c="dimmed" size="sm">{t('dashboard.agentsOnline')}</Text>
          <Title order={2} data-testid="agents-online">{online ?? '…'}</Title>
          <Text size="xs" c="dimmed" lineClamp={1}>{agents?.map((a) => a.name).join(', ')}</Text>
        </Card>
        <Card withBorder>
          <Text c="dimmed" size="sm">{t('dashboard.cluster')}</Text>
          {cluster.data ? (
            <Group gap="xs" mt={4}>
              <Badge color={cluster.data.leader || cluster.data.role === 'standalone' ? 'green' : 'red'}>
                {cluster.data.leader || cluster.data.role === 'standalone' ? t('cluster.healthy') : t('cluster.noLeader')}
              </Badge>
              <Text size="sm">{cluster.data.role} · {t('cluster.term')} {cluster.data.term}</Text>
            </Group>
          ) : <Skeleton h={28} mt={4} />}
          <Anchor component={Link} to="/cluster" size="xs">{t('nav.cluster')} →</Anchor>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="sm">{t('dashboard.runsPerDay')}</Text>
        <div data-testid="runs-chart" style={{ height: 260 }}>
          {dashboard.data ? (
            <BarChart h={250} data={chart} dataKey="date" type="stacked" withLegend yAxisProps={{ allowDecimals: false }}
              series={[{ name: t('dashboard.succeeded'), color: 'teal.6' }, { name: t('dashboard.failed'), color: 'red.6' }]} />
          ) : <Skeleton h={250} />}
        </div>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text fw={600} mb="sm">{t('dashboard.tasksPerProject')}</Text>
          <Table>
            <Table.Tbody>
              {dashboard.data?.tasksPerProject.map((p) => (
                <Table.Tr key={p.projectId}>
                  <Table.Td><Anchor component={Link} to={`/projects/${p.projectId}`}>{p.projectName}</Anchor></Table.Td>
                  <Table.Td ta="right">{p.tasks} {t('dashboard.tasks')} · {p.enabled} {t('dashboard.enabled')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {dashboard.data?.tasksPerProject.length === 0 && <Text c="dimmed" size="sm">{t('common.none')}</Text>}
        </Card>
        <Card withBorder>
          <Text fw={600} mb="sm">{t('dashboard.recentFailures')}</Text>
          {dashboard.data?.recentFailures.length === 0 && <Text c="dimmed" size="sm">{t('dashboard.noFailures')}</Text>}
          <Stack gap="xs">
            {dashboard.data?.recentFailures.map((f) => (
              <Group key={f.runId} justify="space-between" wrap="nowrap">
                <div style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/runs/${f.runId}`} size="sm">#{f.runId} {f.projectName} / {f.taskName}</Anchor>
                  <Text size="xs" c="dimmed" lineClamp={1}>{f.error ?? `exit ${f.exitCode}`} · {formatTime(f.finishedAt)}</Text>
                </div>
                <StatusBadge status={f.status} />
              </Group>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
