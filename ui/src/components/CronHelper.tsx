import { useEffect, useState } from 'react';
import { Box, List, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import cronstrue from 'cronstrue';
import 'cronstrue/locales/zh_CN';
import { api, ApiError, type CronPreview } from '../api';

export type PreviewFetcher = (expression: string, timeZone: string, signal: AbortSignal) => Promise<CronPreview>;

const defaultFetcher: PreviewFetcher = (expression, timeZone, signal) =>
  api<CronPreview>(`/cron/preview?expression=${encodeURIComponent(expression)}&timeZone=${encodeURIComponent(timeZone)}&count=5`, { signal });

/** Describes a cron expression in words (cronstrue, in the UI's language) or null when it cannot. */
export function describeCron(expression: string, language: string): string | null {
  const text = expression.trim();
  if (!text) return null;
  try {
    return cronstrue.toString(text, { locale: language === 'zh' ? 'zh_CN' : 'en', use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

interface Props {
  value: string;
  onChange(value: string): void;
  timeZone: string;
  error?: string;
  fetcher?: PreviewFetcher;
  debounceMs?: number;
}

/**
 * The cron field: as you type, the expression in words and the next five fires in the task's time zone, from the
 * host's own parser (GET /api/v1/cron/preview), so what it shows is what the scheduler will do.
 */
export function CronHelper({ value, onChange, timeZone, error, fetcher = defaultFetcher, debounceMs = 300 }: Props) {
  const { t, i18n } = useTranslation();
  const [preview, setPreview] = useState<CronPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  useEffect(() => {
    const expression = value.trim();
    if (!expression) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetcher(expression, timeZone || 'UTC', abort.signal)
        .then((p) => {
          setPreview(p);
          setPreviewError(null);
        })
        .catch((e: unknown) => {
          if (abort.signal.aborted) return;
          setPreview(null);
          setPreviewError(e instanceof ApiError ? (e.field('expression') ?? e.field('timeZone') ?? e.message) : String(e));
        });
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value, timeZone, fetcher, debounceMs]);

  const words = describeCron(value, i18n.language);
  const zone = preview?.timeZone ?? (timeZone || 'UTC');
  const format = new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: zone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });

  return (
    <Box>
      <TextInput
        label={t('tasks.cron')}
        required
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error ?? previewError ?? undefined}
        description={words ?? (value.trim() ? t('cron.invalid') : '* * * * * *')}
        styles={{ input: { fontFamily: 'monospace' } }}
        data-testid="cron-input"
      />
      <Box mt={6} mih={130} aria-live="polite" data-testid="cron-preview">
        {preview && (
          <>
            <Text size="sm" fw={500}>{t('cron.next', { zone })}</Text>
            <List size="sm" spacing={2}>
              {preview.next.map((n) => (
                <List.Item key={n} ff="monospace">{format.format(new Date(n))}</List.Item>
              ))}
            </List>
            {preview.shortestIntervalSeconds !== null && (
              <Text size="xs" c="dimmed">{t('cron.every', { seconds: preview.shortestIntervalSeconds })}</Text>
            )}
          </>
        )}
      </Box>
    </Box>
  );
}
