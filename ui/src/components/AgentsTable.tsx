import { useState } from 'react';
import { ActionIcon, Badge, Group, NumberInput, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Agent } from '../api';
import { formatTime } from '../hooks';

function WeightEditor({ agent, canEdit }: { agent: Agent; canEdit: boolean }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number | string>(agent.weight);
  const [error, setError] = useState<string | undefined>();
  if (!canEdit) return <>{agent.weight}</>;
  const save = () => {
    setError(undefined);
    api(`/agents/${encodeURIComponent(agent.name)}/weight`, { method: 'PUT', body: { weight: typeof value === 'number' ? value : Number(value) } })
      .then(() => notifications.show({ color: 'green', message: `${agent.name}: ${t('agents.weight')} ${value}` }))
      .catch((e: unknown) => setError(e instanceof ApiError ? (e.field('weight') ?? e.message) : String(e)));
  };
  return (
    <Group gap={4} wrap="nowrap">
      <NumberInput aria-label={`${t('agents.weight')} ${agent.name}`} size="xs" w={80} min={0} max={100} value={value} onChange={setValue}
        error={error} onKeyDown={(e) => e.key === 'Enter' && save()} />
      <ActionIcon variant="light" aria-label={`${t('common.save')} ${agent.name}`} onClick={save}>✓</ActionIcon>
    </Group>
  );
}

/** Agents with labels, version, weight (editable by system administrators) and last heartbeat. */
export function AgentsTable({ agents, canEditWeight }: { agents: Agent[]; canEditWeight: boolean }) {
  const { t } = useTranslation();
  if (agents.length === 0) return <Text c="dimmed" size="sm">{t('common.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped data-testid="agents-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('agents.labels')}</Table.Th>
            <Table.Th>{t('agents.version')}</Table.Th>
            <Table.Th>{t('agents.executors')}</Table.Th>
            <Table.Th>{t('agents.weight')}</Table.Th>
            <Table.Th>{t('agents.heartbeat')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Badge size="xs" color={a.connected ? 'green' : 'gray'}>{a.connected ? t('agents.online') : t('agents.offline')}</Badge>
                  <Text size="sm" fw={500}>{a.name}</Text>
                </Group>
                <Text size="xs" c="dimmed">{a.address} · {t('agents.projects')}: {a.projects ? a.projects.join(', ') : t('agents.all')}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>{Object.entries(a.labels).map(([k, v]) => <Badge key={k} variant="outline" size="sm">{k}={v}</Badge>)}</Group>
              </Table.Td>
              <Table.Td>{a.version}</Table.Td>
              <Table.Td>{a.executors.join(', ')}</Table.Td>
              <Table.Td><WeightEditor key={`${a.id}-${a.weight}`} agent={a} canEdit={canEditWeight} /></Table.Td>
              <Table.Td>{formatTime(a.lastHeartbeatAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
