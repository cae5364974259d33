import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { api, type Cluster } from '../api';
import { useLoad } from '../hooks';
import { ErrorAlert } from '../components/ErrorAlert';

export function ClusterPage() {
  const { t } = useTranslation();
  const cluster = useLoad((signal) => api<Cluster>('/cluster', { signal }), []);
  const health = useLoad(async (signal) => (await fetch('/health/ready', { signal })).ok, []);
  useEffect(() => {
    const timer = setInterval(() => { void cluster.reload(); void health.reload(); }, 5000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const c = cluster.data;
  return (
    <Stack>
      <Title order={2}>{t('cluster.title')}</Title>
      <ErrorAlert error={cluster.error} />
      {c && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder p="md"><Text size="xs" c="dimmed">{t('cluster.role')}</Text><Text fw={600} data-testid="cluster-role">{c.role}</Text></Paper>
            <Paper withBorder p="md"><Text size="xs" c="dimmed">{t('cluster.term')}</Text><Text fw={600}>{c.term}</Text></Paper>
            <Paper withBorder p="md">
              <Text size="xs" c="dimmed">{t('cluster.leader')}</Text>
              <Group gap="xs">
                <Text fw={600}>{c.role === 'standalone' ? '—' : (c.leader ?? t('cluster.noLeader'))}</Text>
                <Badge color={health.data ? 'green' : 'red'}>/health/ready: {health.data ? t('cluster.healthy') : '✗'}</Badge>
              </Group>
            </Paper>
          </SimpleGrid>
          {c.role === 'standalone' && <Text c="dimmed">{t('cluster.standalone')}</Text>}
          {c.replicas.length > 0 && (
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">{t('cluster.replicas')}</Text>
              <Table>
                <Table.Tbody>
                  {c.replicas.map((r) => (
                    <Table.Tr key={r.endpoint}>
                      <Table.Td ff="monospace">{r.endpoint}</Table.Td>
                      <Table.Td>{r.isLeader && <Badge color="teal">{t('cluster.leader')}</Badge>} {r.isSelf && <Badge variant="outline">{t('cluster.role')}</Badge>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
