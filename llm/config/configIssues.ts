import type { z } from 'zod';
import type { Issue } from '../../shared/index.ts';

/** Keys people put in by habit, with what to do instead. */
const HINTS: Readonly<Record<string, string>> = {
  apiKey: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
  api_key: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
  key: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
  baseURL: 'did you mean baseUrl?',
};

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly schema?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip wrappers (optional, default, pipe, …) down to the schema that holds the data. */
function unwrap(s: z.ZodType): z.ZodType {
  for (let k = 0; k < 16; k++) {
    const d = defOf(s);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next) return s;
    s = next;
  }
  return s;
}

/** The object schema at `path` in `root`, when there is one (to list the keys it allows). */
function objectAt(root: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const p of path) {
    const d = defOf(s);
    if (d.type === 'object' && typeof p === 'string') s = d.shape?.[p];
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'array') s = d.element;
    else return undefined;
    if (!s) return undefined;
    s = unwrap(s);
  }
  const d = defOf(s);
  return d.type === 'object' ? d.shape : undefined;
}

/**
 * zod's issues as path-precise ones: an unknown key becomes an issue at that key (`providers.openai.apiKey:
 * unknown key (allowed: …)`), with a hint for keys that do not belong in the file at all.
 */
export function configIssues(root: z.ZodType, issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) {
    if (i.code !== 'unrecognized_keys') {
      out.push({ path: i.path, message: i.message });
      continue;
    }
    const allowed = Object.keys(objectAt(root, i.path) ?? {});
    for (const key of i.keys) {
      const hint = HINTS[key];
      out.push({ path: [...i.path, key], message: `unknown key${hint ? `: ${hint}` : ''}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}` });
    }
  }
  return out;
}
