import { NumberInput, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import type { JsonSchema } from '../api';

type Value = Record<string, unknown>;

interface Props {
  schema: JsonSchema;
  value: Value;
  onChange(value: Value): void;
  /** Field errors relative to this object (`command`, `retry.attempts`), as the API names them under `config.`. */
  errors?: Record<string, string>;
  idPrefix?: string;
}

const MULTILINE = new Set(['command', 'body', 'sql', 'script']);

function typeOf(schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  if (schema.enum) return 'enum';
  if (schema.oneOf || schema.anyOf) return 'any';
  return 'any';
}

/** `KEY=value` lines ⇄ a string map. */
export function mapToLines(map: unknown): string {
  if (!map || typeof map !== 'object') return '';
  return Object.entries(map as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join('\n');
}

export function linesToMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const cut = line.indexOf('=');
    if (cut < 0) out[line.trim()] = '';
    else out[line.slice(0, cut).trim()] = line.slice(cut + 1);
  }
  return out;
}

function listToLines(list: unknown): string {
  return Array.isArray(list) ? list.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') : '';
}

function linesToList(text: string, items: JsonSchema | undefined): unknown[] {
  const itemType = items ? typeOf(items) : 'string';
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const s = l.trim();
    if ((itemType === 'integer' || itemType === 'number' || itemType === 'any') && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return itemType === 'string' ? l : s;
  });
}

/**
 * A form drawn from an executor's JSON Schema (GET /api/v1/executors): strings, numbers, booleans, enums, string maps
 * (KEY=value lines) and lists (one item per line); anything else as JSON. Unset optional fields are left out.
 */
export function SchemaForm({ schema, value, onChange, errors = {}, idPrefix = 'config' }: Props) {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const set = (key: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[key];
    else next[key] = v;
    onChange(next);
  };

  return (
    <Stack gap="sm">
      {Object.entries(properties).map(([key, prop]) => {
        const common = {
          id: `${idPrefix}-${key}`,
          label: prop.title ?? key,
          description: prop.description,
          required: required.has(key),
          error: errors[key],
        };
        const current = value[key];
        const type = prop.enum ? 'enum' : typeOf(prop);
        switch (type) {
          case 'enum':
            return (
              <Select key={key} {...common} clearable={!required.has(key)} data={(prop.enum ?? []).map((e) => String(e))}
                value={current === undefined ? null : String(current)} placeholder={prop.default !== undefined ? String(prop.default) : undefined}
                onChange={(v) => set(key, v ?? undefined)} />
            );
          case 'boolean':
            return (
              <Switch key={key} {...common} checked={current === undefined ? prop.default === true : current === true}
                onChange={(e) => set(key, e.currentTarget.checked)} />
            );
          case 'integer':
          case 'number':
            return (
              <NumberInput key={key} {...common} value={typeof current === 'number' ? current : ''} allowDecimal={type === 'number'}
                min={prop.minimum} max={prop.maximum} placeholder={prop.default !== undefined ? String(prop.default) : undefined}
                onChange={(v) => set(key, typeof v === 'number' ? v : undefined)} />
            );
          case 'string':
            return MULTILINE.has(key) ? (
              <Textarea key={key} {...common} autosize minRows={2} maxRows={12} value={typeof current === 'string' ? current : ''}
                styles={{ input: { fontFamily: 'monospace' } }} placeholder={prop.default !== undefined ? String(prop.default) : undefined}
                onChange={(e) => set(key, e.currentTarget.value)} />
            ) : (
              <TextInput key={key} {...common} value={typeof current === 'string' ? current : ''}
                placeholder={prop.default !== undefined ? String(prop.default) : undefined}
                onChange={(e) => set(key, e.currentTarget.value)} />
            );
          case 'object':
            if (prop.additionalProperties && typeof prop.additionalProperties === 'object' && !prop.properties) {
              return (
                <Textarea key={key} {...common} autosize minRows={2} placeholder="NAME=value" value={mapToLines(current)}
                  styles={{ input: { fontFamily: 'monospace' } }}
                  onChange={(e) => {
                    const map = linesToMap(e.currentTarget.value);
                    set(key, Object.keys(map).length ? map : undefined);
                  }} />
              );
            }
            return <JsonField key={key} {...common} value={current} onChange={(v) => set(key, v)} />;
          case 'array':
            return (
              <Textarea key={key} {...common} autosize minRows={2} value={listToLines(current)} styles={{ input: { fontFamily: 'monospace' } }}
                onChange={(e) => set(key, linesToList(e.currentTarget.value, prop.items))} />
            );
          default:
            return <JsonField key={key} {...common} value={current} onChange={(v) => set(key, v)} />;
        }
      })}
    </Stack>
  );
}

function JsonField(props: { id: string; label: string; description?: string; required: boolean; error?: string; value: unknown; onChange(v: unknown): void }) {
  const { value, onChange, ...rest } = props;
  return (
    <Textarea {...rest} autosize minRows={2} styles={{ input: { fontFamily: 'monospace' } }}
      defaultValue={value === undefined ? '' : JSON.stringify(value)}
      onChange={(e) => {
        const text = e.currentTarget.value;
        if (!text.trim()) onChange(undefined);
        else {
          try {
            onChange(JSON.parse(text));
          } catch {
            onChange(text);
          }
        }
      }} />
  );
}
