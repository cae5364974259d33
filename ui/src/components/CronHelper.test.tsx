import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { useState } from 'react';
import i18n from '../i18n';
import { ApiError, type CronPreview } from '../api';
import { CronHelper, describeCron, type PreviewFetcher } from './CronHelper';

function Harness({ fetcher, timeZone = 'Europe/Berlin', initial = '' }: { fetcher: PreviewFetcher; timeZone?: string; initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <MantineProvider>
      <CronHelper value={value} onChange={setValue} timeZone={timeZone} fetcher={fetcher} debounceMs={0} />
    </MantineProvider>
  );
}

const fiveFires: CronPreview = {
  expression: '*/2 * * * * *',
  timeZone: 'Europe/Berlin',
  shortestIntervalSeconds: 2,
  next: ['2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:04Z', '2026-01-01T00:00:06Z', '2026-01-01T00:00:08Z'],
};

describe('describeCron', () => {
  it('describes five- and six-field expressions in English and Chinese', () => {
    expect(describeCron('*/2 * * * * *', 'en')).toBe('Every 2 seconds');
    expect(describeCron('0 9 * * 1-5', 'en')).toContain('09:00');
    expect(describeCron('*/5 * * * *', 'zh')).toContain('每隔 5 分钟');
  });

  it('returns null for what it cannot read', () => {
    expect(describeCron('', 'en')).toBeNull();
    expect(describeCron('not cron', 'en')).toBeNull();
  });
});

describe('CronHelper', () => {
  it('asks the host for the next five fires in the task time zone as you type, and shows them in that zone', async () => {
    await i18n.changeLanguage('en');
    const fetcher = vi.fn<PreviewFetcher>().mockResolvedValue(fiveFires);
    render(<Harness fetcher={fetcher} />);
    fireEvent.change(screen.getByTestId('cron-input'), { target: { value: '*/2 * * * * *' } });

    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(5));
    expect(fetcher).toHaveBeenLastCalledWith('*/2 * * * * *', 'Europe/Berlin', expect.any(AbortSignal));
    expect(screen.getByText('Every 2 seconds')).toBeInTheDocument();
    expect(screen.getByText('Next five fires (Europe/Berlin)')).toBeInTheDocument();
    // 00:00:00 UTC is 01:00:00 in Berlin in winter.
    expect(screen.getAllByRole('listitem')[0].textContent).toContain('01:00:00');
  });

  it('shows the API error for the expression beside the field', async () => {
    await i18n.changeLanguage('en');
    const fetcher = vi.fn<PreviewFetcher>().mockRejectedValue(new ApiError({
      status: 400, title: 'One or more validation errors occurred.',
      errors: { expression: ["field 'minute': value 61 is out of range 0-59"] },
    }));
    render(<Harness fetcher={fetcher} />);
    fireEvent.change(screen.getByTestId('cron-input'), { target: { value: '61 * * * *' } });

    await waitFor(() => expect(screen.getByText("field 'minute': value 61 is out of range 0-59")).toBeInTheDocument());
    expect(screen.getByTestId('cron-input')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
  });

  it('does not call the host for an empty expression', async () => {
    const fetcher = vi.fn<PreviewFetcher>().mockResolvedValue(fiveFires);
    render(<Harness fetcher={fetcher} />);
    await act(async () => new Promise((r) => setTimeout(r, 20)));
    expect(fetcher).not.toHaveBeenCalled();
  });
});
