import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, type Agent } from '../api';
import { useAuth } from '../auth';
import { useLoad } from '../hooks';
import { useLive } from '../live';
import { AgentsTable } from '../components/AgentsTable';
import { ErrorAlert } from '../components/ErrorAlert';

/** Every agent the caller may see, live from the event stream (connects, disconnects, weights). */
export function AgentsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const live = useLive();
  const loaded = useLoad((signal) => api<Agent[]>('/agents', { signal }), []);
  const agents = live.agents ?? loaded.data ?? [];
  return (
    <Stack>
      <Title order={2}>{t('agents.title')}</Title>
      <ErrorAlert error={loaded.error} />
      <AgentsTable agents={agents} canEditWeight={user?.isAdmin === true} />
    </Stack>
  );
}
