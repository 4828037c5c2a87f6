import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allChannels } from '../../../../shared/contract/index';
import { SettingsSchema } from '../../../../shared/contract/settings';
import { WireRequestSchema } from '../../../../shared/contract/wire';

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number } } }>;
  [key: string]: unknown;
}
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;
const maxOf = (d: Def) => d.checks?.map((c) => c._zod.def).find((c) => c.check === 'max_length')?.maximum;

/** Every string and array inside a schema that has no maximum length, by path. */
function unbounded(schema: unknown, path: string, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return out;
  seen.add(schema);
  const d = defOf(schema);
  const walk = (child: unknown, p: string) => unbounded(child, p, out, seen);
  switch (d.type) {
    case 'string':
      if (maxOf(d) === undefined) out.push(path);
      break;
    case 'array':
      if (maxOf(d) === undefined) out.push(`${path}[]`);
      walk(d.element, `${path}[]`);
      break;
    case 'object':
      for (const [k, v] of Object.entries(d.shape as Record<string, unknown>)) walk(v, `${path}.${k}`);
      break;
    case 'record':
      walk(d.keyType, `${path}{key}`);
      walk(d.valueType, `${path}{value}`);
      break;
    case 'union':
      (d.options as unknown[]).forEach((o, i) => walk(o, `${path}|${i}`));
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      walk(d.innerType, path);
      break;
    case 'pipe':
      walk(d.in, path);
      break;
    default:
      break; // numbers, booleans, enums, literals: bounded by their own checks
  }
  return out;
}

describe('contract bounds', () => {
  it('every string and array a door accepts has a maximum (requests, settings, the wire envelope)', () => {
    const missing = [
      ...allChannels.flatMap((c) => unbounded(c.request as z.ZodType, c.name)),
      ...unbounded(SettingsSchema, 'settings'),
      ...unbounded(WireRequestSchema, 'wire'),
    ];
    expect(missing).toEqual([]);
  });
});
