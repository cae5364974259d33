import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { useState } from 'react';
import type { JsonSchema } from '../api';
import { SchemaForm, linesToMap, mapToLines } from './SchemaForm';

// The shell executor's schema, as GET /api/v1/executors returns it, plus a few more kinds of field.
const schema: JsonSchema = {
  type: 'object',
  required: ['command'],
  properties: {
    command: { type: 'string', description: "Script run with '<shell> -c'." },
    shell: { type: 'string', description: 'Absolute path of the shell.' },
    environment: { type: 'object', additionalProperties: { type: 'string' } },
    method: { type: 'string', enum: ['GET', 'POST'] },
    maxRows: { type: 'integer', minimum: 1, maximum: 10000 },
    transaction: { type: 'boolean', default: true },
    statements: { type: 'array', items: { type: 'string' } },
  },
};

function Harness({ errors, onValue }: { errors?: Record<string, string>; onValue(v: Record<string, unknown>): void }) {
  const [value, setValue] = useState<Record<string, unknown>>({});
  return (
    <MantineProvider>
      <SchemaForm schema={schema} value={value} errors={errors} onChange={(v) => { setValue(v); onValue(v); }} />
    </MantineProvider>
  );
}

describe('SchemaForm', () => {
  it('draws one labelled field per property, marking required ones', () => {
    render(<Harness onValue={() => {}} />);
    expect(screen.getByLabelText(/command/)).toBeRequired();
    expect(screen.getByLabelText(/^shell/)).not.toBeRequired();
    expect(screen.getByText("Script run with '<shell> -c'.")).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'transaction' })).toBeChecked();
    expect(screen.getByLabelText('maxRows')).toBeInTheDocument();
  });

  it('builds the config object the API expects, leaving out empty fields', () => {
    let last: Record<string, unknown> = {};
    render(<Harness onValue={(v) => { last = v; }} />);
    fireEvent.change(screen.getByLabelText(/command/), { target: { value: 'echo hi' } });
    fireEvent.change(screen.getByLabelText('environment'), { target: { value: 'A=1\nB=two=2' } });
    fireEvent.change(screen.getByLabelText('statements'), { target: { value: 'select 1\n\nselect 2' } });
    fireEvent.click(screen.getByRole('switch', { name: 'transaction' }));
    expect(last).toEqual({ command: 'echo hi', environment: { A: '1', B: 'two=2' }, statements: ['select 1', 'select 2'], transaction: false });

    fireEvent.change(screen.getByLabelText(/command/), { target: { value: '' } });
    expect(last).not.toHaveProperty('command');
  });

  it('shows each API error beside the field it names', () => {
    render(<Harness onValue={() => {}} errors={{ command: 'A command is required.', maxRows: 'maxRows must be from 1 to 10000.' }} />);
    expect(screen.getByLabelText(/command/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('A command is required.')).toBeInTheDocument();
    expect(screen.getByLabelText('maxRows')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^shell/)).toHaveAttribute('aria-invalid', 'false');
  });

  it('round-trips string maps as KEY=value lines', () => {
    expect(linesToMap(mapToLines({ A: '1', PATH: '/bin:/usr/bin' }))).toEqual({ A: '1', PATH: '/bin:/usr/bin' });
  });
});
