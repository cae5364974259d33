import { ActionIcon, AppShell, Burger, Group, NavLink, SegmentedControl, Text, Title, Tooltip, useMantineColorScheme, Center, Loader } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate, Link } from 'react-router';
import { useAuth } from './auth';
import { LiveProvider, useLive, useRunEvents } from './live';
import { useRef } from 'react';
import { notifications } from '@mantine/notifications';
import { LoginPage } from './pages/LoginPage';
import { PasswordPage } from './pages/PasswordPage';
import { ProfilePage } from './pages/ProfilePage';
import { DashboardPage } from './pages/DashboardPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { ProjectPage } from './pages/ProjectPage';
import { TaskEditPage } from './pages/TaskEditPage';
import { TaskPage } from './pages/TaskPage';
import { RunPage } from './pages/RunPage';
import { AgentsPage } from './pages/AgentsPage';
import { ClusterPage } from './pages/ClusterPage';
import { UsersPage } from './pages/UsersPage';

/** The gopher's clock: a small inline mark, no emoji font needed. */
export function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" style={{ verticalAlign: '-4px' }}>
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 6v6l4 2" fill="none" stroke="var(--mantine-color-teal-6)" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('common.language')}
      value={i18n.language === 'zh' ? 'zh' : 'en'}
      onChange={(v) => void i18n.changeLanguage(v)}
      data={[{ value: 'en', label: 'EN' }, { value: 'zh', label: '中文' }]}
      data-testid="language-switch"
    />
  );
}

function ThemeToggle() {
  const { t } = useTranslation();
  const { toggleColorScheme, colorScheme } = useMantineColorScheme();
  return (
    <Tooltip label={t('common.theme')}>
      <ActionIcon variant="default" size="lg" aria-label={t('common.theme')} onClick={toggleColorScheme} data-testid="theme-toggle">
        {colorScheme === 'dark' ? '☀' : '☾'}
      </ActionIcon>
    </Tooltip>
  );
}

function LiveDot() {
  const { t } = useTranslation();
  const { connected } = useLive();
  const label = connected ? t('common.live') : t('common.offline');
  return (
    <Tooltip label={label}>
      <span role="status" aria-label={label} data-testid="live-indicator" data-connected={connected}
        style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, flex: 'none',
          background: connected ? 'var(--mantine-color-green-6)' : 'var(--mantine-color-gray-5)' }} />
    </Tooltip>
  );
}

/** A toast when a run fails, timed out or was lost, at most one per task every 30 s (a task failing every second must not flood). */
function FailureToasts() {
  const { t } = useTranslation();
  const last = useRef(new Map<number, number>());
  useRunEvents((e) => {
    if (!['failed', 'timedOut', 'lost'].includes(e.status)) return;
    const now = Date.now();
    if (now - (last.current.get(e.taskId) ?? 0) < 30_000) return;
    last.current.set(e.taskId, now);
    notifications.show({
      color: 'red',
      title: t('runs.notSucceeded'),
      message: <><Link to={`/runs/${e.runId}`}>{t('runs.id')} #{e.runId}</Link>: {t(`status.${e.status}`)}</>,
    });
  });
  return null;
}

function Shell() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const links = [
    { to: '/', label: t('nav.dashboard'), exact: true },
    { to: '/projects', label: t('nav.projects') },
    { to: '/agents', label: t('nav.agents') },
    { to: '/cluster', label: t('nav.cluster') },
    ...(user?.isAdmin ? [{ to: '/users', label: t('nav.users') }] : []),
    { to: '/profile', label: t('nav.profile') },
  ];
  const active = (to: string, exact?: boolean) => (exact ? location.pathname === to : location.pathname.startsWith(to) || (to === '/projects' && location.pathname.startsWith('/runs')));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('common.menu')} />
            <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }}><Title order={4}><Logo /> GopherCron</Title></Link>
            <LiveDot />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="navigation">
        {links.map((l) => (
          <NavLink key={l.to} component={Link} to={l.to} label={l.label} active={active(l.to, l.exact)} onClick={close} />
        ))}
        <NavLink
          label={t('nav.logout')}
          onClick={() => {
            close();
            void logout().then(() => navigate('/login'));
          }}
          data-testid="logout"
        />
        <Text size="xs" c="dimmed" mt="auto" p="xs">{user?.name} ({user?.account})</Text>
      </AppShell.Navbar>
      <AppShell.Main>
        <FailureToasts />
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/profile" element={<ProfilePage />} />
          <Route path="/projects" element={<ProjectsPage />} />
          <Route path="/projects/:projectId" element={<ProjectPage />} />
          <Route path="/projects/:projectId/:tab" element={<ProjectPage />} />
          <Route path="/projects/:projectId/tasks/new" element={<TaskEditPage />} />
          <Route path="/projects/:projectId/tasks/:taskId" element={<TaskPage />} />
          <Route path="/projects/:projectId/tasks/:taskId/edit" element={<TaskEditPage />} />
          <Route path="/runs/:runId" element={<RunPage />} />
          <Route path="/agents" element={<AgentsPage />} />
          <Route path="/cluster" element={<ClusterPage />} />
          <Route path="/users" element={<UsersPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

export function App() {
  const { user, ready } = useAuth();
  const location = useLocation();
  if (!ready) {
    return <Center h="100vh"><Loader /></Center>;
  }
  if (!user) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  if (user.mustChangePassword) {
    return (
      <Routes>
        <Route path="/password" element={<PasswordPage forced />} />
        <Route path="*" element={<Navigate to="/password" replace />} />
      </Routes>
    );
  }
  return (
    <LiveProvider>
      <Routes>
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="/password" element={<Navigate to="/" replace />} />
        <Route path="*" element={<Shell />} />
      </Routes>
    </LiveProvider>
  );
}
