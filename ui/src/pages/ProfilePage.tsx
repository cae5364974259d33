import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { formatTime } from '../hooks';
import { PasswordPage } from './PasswordPage';

export function ProfilePage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  if (!user) return null;
  return (
    <Stack maw={560}>
      <Title order={2}>{t('profile.title')}</Title>
      <Paper withBorder p="lg">
        <Stack gap={4}>
          <Group><Text fw={600}>{user.name}</Text><Badge>{user.isAdmin ? t('profile.admin') : t('profile.member')}</Badge></Group>
          <Text size="sm">{t('profile.account')}: {user.account}</Text>
          <Text size="sm" c="dimmed">{t('profile.created')}: {formatTime(user.createdAt)}</Text>
        </Stack>
      </Paper>
      <PasswordPage />
    </Stack>
  );
}
