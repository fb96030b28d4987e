import type { z } from 'zod';

/** The parts of a zod schema's definition the error explainer reads. */
export interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly getter?: () => z.ZodType;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}

/** One check of a schema (`min`, `max`, `int`, …) as zod defines it. */
export interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: string;
  readonly pattern?: RegExp;
}

/** A schema's definition. */
export const defOf = (s: z.ZodType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Strip wrappers (optional, default, nullable, pipe, lazy, …) down to the schema that holds the data. */
export function unwrapSchema(s: z.ZodType): z.ZodType {
  for (let k = 0; k < 16; k++) {
    const d = defOf(s);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : d.type === 'lazy' ? d.getter?.() : undefined);
    if (!next) return s;
    s = next;
  }
  return s;
}

/** The schema that validates the value at `path` inside `root` (through objects, lists, records and unions), if any. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  const s = unwrapSchema(root);
  if (path.length === 0) return s;
  const [p, ...rest] = path;
  const d = defOf(s);
  if (d.type === 'object' && typeof p === 'string') {
    const next = d.shape?.[p];
    return next && schemaAt(next, rest);
  }
  if (d.type === 'array' && typeof p === 'number' && d.element) return schemaAt(d.element, rest);
  if (d.type === 'record' && d.valueType) return schemaAt(d.valueType, rest);
  if (d.type === 'union') {
    for (const o of d.options ?? []) {
      const found = schemaAt(o, path);
      if (found) return found;
    }
  }
  return undefined;
}

/** The keys an object schema allows (empty when `s` is not an object). */
export function objectKeys(s: z.ZodType | undefined): string[] {
  if (!s) return [];
  const d = defOf(unwrapSchema(s));
  return d.type === 'object' ? Object.keys(d.shape ?? {}) : [];
}
