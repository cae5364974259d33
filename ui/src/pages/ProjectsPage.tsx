import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Pagination, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, type Paged, type Project } from '../api';
import { useLoad } from '../hooks';
import { ErrorAlert } from '../components/ErrorAlert';

/** Create or edit a project: name and remark, with the API's field errors beside the fields. */
export function ProjectForm({ project, onSaved, onCancel }: { project?: Project; onSaved(p: Project): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(project?.name ?? '');
  const [remark, setRemark] = useState(project?.remark ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const apiError = error instanceof ApiError ? error : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        api<Project>(project ? `/projects/${project.id}` : '/projects', { method: project ? 'PUT' : 'POST', body: { name, remark } })
          .then(onSaved)
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <Stack>
        <TextInput label={t('common.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={apiError?.field('name')} data-autofocus />
        <Textarea label={t('common.remark')} value={remark} onChange={(e) => setRemark(e.currentTarget.value)} error={apiError?.field('remark')} />
        <ErrorAlert error={error} shownFields={['name', 'remark']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="submit" loading={busy}>{project ? t('common.save') : t('common.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ProjectsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const pageSize = 24;
  const projects = useLoad(
    (signal) => api<Paged<Project>>(`/projects?search=${encodeURIComponent(debounced)}&page=${page}&pageSize=${pageSize}`, { signal }),
    [debounced, page],
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('projects.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('projects.new')}</Button>
      </Group>
      <TextInput aria-label={t('common.search')} placeholder={t('common.search')} value={search}
        onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} />
      <ErrorAlert error={projects.error} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {projects.data?.items.map((p) => (
          <Card key={p.id} withBorder component={Link} to={`/projects/${p.id}`} data-testid="project-card">
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600} truncate>{p.name}</Text>
              <Badge variant="light">{p.role}</Badge>
            </Group>
            <Text size="sm" c="dimmed" lineClamp={2} mih={40}>{p.remark || '—'}</Text>
          </Card>
        ))}
      </SimpleGrid>
      {projects.data && projects.data.items.length === 0 && <Text c="dimmed">{t('common.none')}</Text>}
      {projects.data && projects.data.total > pageSize && (
        <Pagination value={page} onChange={setPage} total={Math.ceil(projects.data.total / pageSize)} />
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('projects.new')}>
        <ProjectForm onCancel={() => setCreating(false)} onSaved={(p) => { setCreating(false); navigate(`/projects/${p.id}`); }} />
      </Modal>
      <Anchor component={Link} to="/agents" size="sm">{t('nav.agents')} →</Anchor>
    </Stack>
  );
}
