import { useState } from 'react';
import { Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { ApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch, Logo } from '../App';

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const apiError = error instanceof ApiError ? error : null;

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            login(account, password)
              .then((r) => navigate(r.mustChangePassword ? '/password' : '/'))
              .catch(setError)
              .finally(() => setBusy(false));
          }}
        >
          <Stack>
            <Group justify="space-between">
              <Title order={3}><Logo /> {t('login.title')}</Title>
            </Group>
            <LanguageSwitch />
            <TextInput label={t('login.account')} name="account" autoComplete="username" required value={account}
              onChange={(e) => setAccount(e.currentTarget.value)} error={apiError?.field('account')} />
            <PasswordInput label={t('login.password')} name="password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.currentTarget.value)} error={apiError?.field('password')} />
            <ErrorAlert error={error} shownFields={['account', 'password']} />
            <Button type="submit" loading={busy}>{t('login.submit')}</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
