import { z } from 'zod';
import type { ZodType } from 'zod';
import { formatIssues } from '../shared/index.ts';

/** Outcome of parsing a reply. */
export type ParseOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const schemaCache = new WeakMap<ZodType, Record<string, unknown>>();

/** The JSON schema of a zod schema (cached per schema object), as sent to providers' native JSON modes. */
export function jsonSchemaOf(schema: ZodType): Record<string, unknown> {
  let js = schemaCache.get(schema);
  if (!js) {
    const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
    const { $schema: _drop, ...rest } = raw;
    js = rest;
    schemaCache.set(schema, js);
  }
  return js;
}

/** Strip a Markdown code fence some models wrap JSON in. */
function unfence(text: string): string {
  const t = text.trim();
  const m = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(t);
  return m ? (m[1] as string).trim() : t;
}

/** Parse `text` as JSON and validate it against `schema`. Error messages name the bad path. */
export function parseStructured<T>(text: string, schema: ZodType<T>): ParseOutcome<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(unfence(text));
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  return validateValue(raw, schema);
}

/** Validate an already-parsed value (local handlers' results go through this too). */
export function validateValue<T>(raw: unknown, schema: ZodType<T>): ParseOutcome<T> {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: `schema: ${formatIssues(r.error.issues.map((i) => ({ path: i.path, message: i.message })))}` };
}

/** The follow-up message of the one repair attempt. */
export function repairMessage(error: string): string {
  return `Your previous reply was invalid (${error.slice(0, 500)}). Reply again with only a JSON value that matches the required schema: no prose, no code fence.`;
}
