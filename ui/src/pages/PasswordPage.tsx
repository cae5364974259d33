import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';

/** Change the password; `forced` at the first sign-in with the initial password (nothing else is reachable until done). */
export function PasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { refresh, logout } = useAuth();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const apiError = error instanceof ApiError ? error : null;
  const mismatch = repeat.length > 0 && next !== repeat;

  const form = (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (mismatch) return;
        setBusy(true);
        setError(null);
        api('/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } })
          .then(async () => {
            notifications.show({ color: 'green', message: t('password.done') });
            setCurrent('');
            setNext('');
            setRepeat('');
            await refresh();
            if (forced) navigate('/');
          })
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <Stack>
        <Title order={3}>{t('password.title')}</Title>
        {forced && <Alert color="yellow">{t('password.forced')}</Alert>}
        <PasswordInput label={t('password.current')} autoComplete="current-password" required value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)} error={apiError?.field('currentPassword')} />
        <PasswordInput label={t('password.new')} autoComplete="new-password" required value={next}
          onChange={(e) => setNext(e.currentTarget.value)} error={apiError?.field('newPassword')} />
        <PasswordInput label={t('password.repeat')} autoComplete="new-password" required value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)} error={mismatch ? t('password.mismatch') : undefined} />
        <ErrorAlert error={error} shownFields={['currentPassword', 'newPassword']} />
        <Button type="submit" loading={busy} disabled={mismatch}>{t('password.submit')}</Button>
        {forced && <Button variant="subtle" onClick={() => void logout().then(() => navigate('/login'))}>{t('nav.logout')}</Button>}
      </Stack>
    </form>
  );

  return forced ? (
    <Center mih="100vh" p="md"><Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>{form}</Paper></Center>
  ) : (
    <Paper withBorder p="lg" maw={480}>{form}</Paper>
  );
}
