import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { ApiError } from '../api';
import { ErrorAlert } from './ErrorAlert';

const problem = new ApiError({
  status: 400,
  title: 'One or more validation errors occurred.',
  errors: { name: ['name is required.'], 'config.command': ['A command is required.'], 'retry.attempts': ['attempts must be 0 to 10.'] },
});

describe('ApiError', () => {
  it('finds messages by the camelCase path the API uses, and under a prefix', () => {
    expect(problem.field('name')).toBe('name is required.');
    expect(problem.field('config.command')).toBe('A command is required.');
    expect(problem.field('cron')).toBeUndefined();
    expect(problem.fieldsUnder('config')).toEqual({ command: 'A command is required.' });
  });
});

describe('ErrorAlert', () => {
  it('lists only the field errors that no field on the page shows', () => {
    render(<MantineProvider><ErrorAlert error={problem} shownFields={['name', 'config.']} /></MantineProvider>);
    expect(screen.getByRole('alert')).toHaveTextContent('retry.attempts: attempts must be 0 to 10.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('A command is required.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('name is required.');
  });

  it('shows nothing when every field error is beside its field', () => {
    const { container } = render(<MantineProvider><ErrorAlert error={problem} shownFields={['name', 'config.', 'retry.attempts']} /></MantineProvider>);
    expect(container.querySelector('[role=alert]')).toBeNull();
  });

  it('shows the detail of a problem without field errors', () => {
    render(<MantineProvider><ErrorAlert error={new ApiError({ status: 409, title: 'Conflict', detail: "A task named 'x' already exists in this project." })} /></MantineProvider>);
    expect(screen.getByRole('alert')).toHaveTextContent("A task named 'x' already exists in this project.");
  });
});
