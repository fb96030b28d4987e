import type { z } from 'zod';
import { defOf, unwrapSchema } from './schemaAt.ts';
import type { CheckDef } from './schemaAt.ts';
import { listValues } from './showValue.ts';

const checksOf = (s: z.ZodType): CheckDef[] => (defOf(s).checks ?? []).map((c) => c._zod.def);

/** `from 1 to 24`, `at least 0`, `greater than 0 and at most 64`, or '' without bounds. */
function numberRange(checks: readonly CheckDef[]): string {
  const lo = checks.find((c) => c.check === 'greater_than');
  const hi = checks.find((c) => c.check === 'less_than');
  if (lo?.inclusive && hi?.inclusive) return ` from ${lo.value} to ${hi.value}`;
  const parts: string[] = [];
  if (lo) parts.push(`${lo.inclusive ? 'of at least' : 'greater than'} ${lo.value}`);
  if (hi) parts.push(`${hi.inclusive ? (lo ? 'at most' : 'of at most') : 'less than'} ${hi.value}`);
  return parts.length ? ' ' + parts.join(' and ') : '';
}

/** `of 1 to 64 characters`, `of at most 5000 items`, or ''. */
function lengthRange(checks: readonly CheckDef[], unit: string): string {
  const min = checks.find((c) => c.check === 'min_length')?.minimum;
  const max = checks.find((c) => c.check === 'max_length')?.maximum;
  if (min !== undefined && max !== undefined) return ` of ${min} to ${max} ${unit}`;
  if (min !== undefined) return ` of at least ${min} ${unit}`;
  if (max !== undefined) return ` of at most ${max} ${unit}`;
  return '';
}

/**
 * What a schema accepts, in words: `an integer from 1 to 24`, `one of wolf, boar, goblin`, `text of 1 to 64
 * characters`, `true or false`, `an object with x, y`, `a list of at most 64 items`, unions joined with `or`.
 */
export function describeSchema(schema: z.ZodType): string {
  const s = unwrapSchema(schema);
  const d = defOf(s);
  const checks = checksOf(s);
  switch (d.type) {
    case 'number': {
      const int = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
      return `${int ? 'an integer' : 'a number'}${numberRange(checks)}`;
    }
    case 'string': {
      const pattern = checks.find((c) => c.check === 'string_format' && c.format !== 'regex')?.format;
      return `${pattern ? `${pattern} text` : 'text'}${lengthRange(checks, 'characters')}`;
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${listValues(Object.values(d.entries ?? {}))}`;
    case 'literal':
      return (d.values ?? []).length === 1 ? listValues(d.values ?? []) : `one of ${listValues(d.values ?? [])}`;
    case 'object': {
      const keys = Object.keys(d.shape ?? {});
      return keys.length && keys.length <= 6 ? `an object with ${keys.join(', ')}` : 'an object';
    }
    case 'record':
      return 'an object';
    case 'array':
      return `a list${lengthRange(checks, 'items')}`;
    case 'union':
      return [...new Set((d.options ?? []).map(describeSchema))].join(' or ');
    case 'null':
      return 'null';
    case 'unknown':
    case 'any':
      return 'any value';
    default:
      return d.type;
  }
}
