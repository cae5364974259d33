import { useState } from 'react';
import { Badge, Button, Group, Modal, PasswordInput, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../api';
import { useLoad } from '../hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { confirm } from './ProjectPage';

function CreateUser({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [account, setAccount] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const e = error instanceof ApiError ? error : null;
  return (
    <form onSubmit={(ev) => {
      ev.preventDefault();
      setError(null);
      api('/users', { method: 'POST', body: { account, name, password, isAdmin } }).then(onDone).catch(setError);
    }}>
      <Stack>
        <TextInput label={t('login.account')} required value={account} onChange={(x) => setAccount(x.currentTarget.value)} error={e?.field('account')} />
        <TextInput label={t('common.name')} required value={name} onChange={(x) => setName(x.currentTarget.value)} error={e?.field('name')} />
        <PasswordInput label={t('login.password')} required value={password} onChange={(x) => setPassword(x.currentTarget.value)} error={e?.field('password')} />
        <Switch label={t('users.admin')} checked={isAdmin} onChange={(x) => setIsAdmin(x.currentTarget.checked)} />
        <ErrorAlert error={error} shownFields={['account', 'name', 'password']} />
        <Group justify="flex-end"><Button type="submit">{t('common.create')}</Button></Group>
      </Stack>
    </form>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone(): void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const e = error instanceof ApiError ? error : null;
  return (
    <form onSubmit={(ev) => {
      ev.preventDefault();
      api(`/users/${user.id}`, { method: 'PUT', body: { name: user.name, isAdmin: user.isAdmin, password } }).then(onDone).catch(setError);
    }}>
      <Stack>
        <PasswordInput label={t('users.newPassword')} required value={password} onChange={(x) => setPassword(x.currentTarget.value)} error={e?.field('password')} />
        <ErrorAlert error={error} shownFields={['password']} />
        <Group justify="flex-end"><Button type="submit">{t('users.reset')}</Button></Group>
      </Stack>
    </form>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const users = useLoad((signal) => api<User[] | { items: User[] }>('/users', { signal }), []);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = Array.isArray(users.data) ? users.data : (users.data?.items ?? []);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('users.new')}</Button>
      </Group>
      <ErrorAlert error={users.error ?? error} />
      <Table.ScrollContainer minWidth={520}>
        <Table striped>
          <Table.Tbody>
            {list.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.name}<br /><small>{u.account}</small></Table.Td>
                <Table.Td>
                  {u.isAdmin && <Badge mr={4}>{t('users.admin')}</Badge>}
                  {u.mustChangePassword && <Badge color="yellow">{t('users.mustChange')}</Badge>}
                </Table.Td>
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setResetting(u)}>{t('users.reset')}</Button>
                    <Button size="xs" variant="light" color="red" onClick={() => confirm(t('users.deleteConfirm', { account: u.account }), () => {
                      void api(`/users/${u.id}`, { method: 'DELETE' }).then(users.reload).catch(setError);
                    }, { confirm: t('common.delete'), cancel: t('common.cancel') })}>{t('common.delete')}</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('users.new')}>
        <CreateUser onDone={() => { setCreating(false); void users.reload(); }} />
      </Modal>
      <Modal opened={resetting !== null} onClose={() => setResetting(null)} title={`${t('users.reset')}: ${resetting?.account ?? ''}`}>
        {resetting && <ResetPassword user={resetting} onDone={() => { notifications.show({ color: 'green', message: t('password.done') }); setResetting(null); }} />}
      </Modal>
    </Stack>
  );
}
