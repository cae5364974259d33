import { Alert } from '@mantine/core';
import { ApiError } from '../api';

/** The problem's detail (or title); field errors are shown beside their fields, so only the ones no field shows are listed here. */
export function ErrorAlert({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    const others = Object.entries(error.problem.errors ?? {}).filter(
      ([k]) => !shownFields.some((f) => k === f || (f.endsWith('.') && k.startsWith(f))),
    );
    const hasFieldErrors = Object.keys(error.problem.errors ?? {}).length > 0;
    if (hasFieldErrors && others.length === 0) return null;
    return (
      <Alert color="red" role="alert" title={error.problem.title ?? `HTTP ${error.status}`}>
        {error.problem.detail && <div>{error.problem.detail}</div>}
        {others.map(([k, v]) => <div key={k}><b>{k}</b>: {v.join(' ')}</div>)}
      </Alert>
    );
  }
  return <Alert color="red" role="alert">{String((error as Error).message ?? error)}</Alert>;
}
