import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  pending: 'gray', running: 'blue', succeeded: 'green', failed: 'red', timedOut: 'orange', killed: 'grape', skipped: 'yellow', lost: 'dark',
  scheduled: 'teal', paused: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const label = ['scheduled', 'paused'].includes(status) ? t(`tasks.${status}`) : t(`status.${status}`, { defaultValue: status });
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant={status === 'running' ? 'filled' : 'light'} data-status={status}>
      {label}
    </Badge>
  );
}
