import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, readSse, TERMINAL, type Run, type Task } from '../api';
import { formatDuration, formatTime, useLoad } from '../hooks';
import { AnsiOutput } from '../components/AnsiOutput';
import { ErrorAlert } from '../components/ErrorAlert';
import { StatusBadge } from '../components/StatusBadge';
import { confirm } from './ProjectPage';

/** A run: its facts, and its output following live (SSE) while it runs; kill and download. */
export function RunPage() {
  const { t } = useTranslation();
  const runId = Number(useParams().runId);
  const run = useLoad((signal) => api<Run>(`/runs/${runId}`, { signal }), [runId]);
  const task = useLoad(
    (signal) => (run.data ? api<Task>(`/projects/${run.data.projectId}/tasks/${run.data.taskId}`, { signal }) : Promise.resolve(null)),
    [run.data?.taskId],
  );
  const [output, setOutput] = useState('');
  const [following, setFollowing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    let last = 0;
    setOutput('');
    setFollowing(true);
    const follow = async () => {
      // Reconnects after a dropped stream (or a lagging follower) and skips pieces it already has by sequence number.
      for (let attempt = 0; attempt < 20 && !abort.signal.aborted; attempt++) {
        let ended = false;
        try {
          await readSse(`/runs/${runId}/output?follow=true`, (e) => {
            if (e.event === 'output') {
              const piece = JSON.parse(e.data) as { seq: number; text: string };
              if (piece.seq > last) {
                last = piece.seq;
                setOutput((o) => o + piece.text);
              }
            } else if (e.event === 'status') {
              const status = (JSON.parse(e.data) as { status: string }).status;
              run.setData((r) => (r ? { ...r, status } : r));
            } else if (e.event === 'end') {
              ended = true;
            }
          }, abort.signal);
        } catch (e) {
          if (abort.signal.aborted) return;
          setError(e);
        }
        if (ended) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (!abort.signal.aborted) {
        setFollowing(false);
        void run.reload();
      }
    };
    void follow();
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId]);

  const r = run.data;
  if (run.error) return <ErrorAlert error={run.error} />;
  if (!r) return <Text>{t('common.loading')}</Text>;
  const ended = TERMINAL.includes(r.status);
  const download = () => {
    const blob = new Blob([output.replace(/\x1b\[[0-9;]*m/g, '')], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `run-${r.id}.log`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack>
      <Anchor component={Link} to={`/projects/${r.projectId}/tasks/${r.taskId}`} size="sm">← {task.data?.name ?? t('runs.task')}</Anchor>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>{t('runs.id')} #{r.id}</Title>
          <StatusBadge status={r.status} />
          {following && !ended && <Badge color="red" variant="dot" data-testid="following">{t('runs.live')}</Badge>}
        </Group>
        <Group gap="xs">
          <Button variant="default" onClick={download} data-testid="download">{t('runs.download')}</Button>
          {!ended && (
            <Button color="red" data-testid="kill" onClick={() => confirm(t('runs.killConfirm', { id: r.id }), () => {
              void api(`/runs/${r.id}/kill`, { method: 'POST' }).catch(setError);
            }, { confirm: t('runs.kill'), cancel: t('common.cancel') })}>{t('runs.kill')}</Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={error} />
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
          <div><Text size="xs" c="dimmed">{t('runs.trigger')}</Text><Text size="sm">{r.trigger}</Text></div>
          <div><Text size="xs" c="dimmed">{t('runs.scheduled')}</Text><Text size="sm">{formatTime(r.scheduledAt)}</Text></div>
          <div><Text size="xs" c="dimmed">{t('runs.duration')}</Text><Text size="sm">{formatDuration(r.durationMs)}</Text></div>
          <div><Text size="xs" c="dimmed">{t('runs.agent')}</Text><Text size="sm">{r.agent ?? '—'}</Text></div>
          <div><Text size="xs" c="dimmed">{t('runs.exitCode')}</Text><Text size="sm">{r.exitCode ?? '—'}</Text></div>
          <div><Text size="xs" c="dimmed">{t('runs.attempt')}</Text><Text size="sm">{r.attempt}</Text></div>
        </SimpleGrid>
        {r.error && <Text c="red" size="sm" mt="sm">{t('runs.error')}: {r.error}</Text>}
      </Paper>
      <AnsiOutput text={output} emptyText={t('runs.noOutput')} />
    </Stack>
  );
}
