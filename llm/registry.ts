import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { explainIssues, ValidationError, yamlSyntaxIssue } from '../shared/index.ts';

const Price = z.object({
  /** USD per 1M input tokens. */
  input: z.number().min(0),
  /** USD per 1M cached input tokens. */
  cachedInput: z.number().min(0),
  /** USD per 1M output tokens. */
  output: z.number().min(0),
  /** Date the price was checked, YYYY-MM-DD. */
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
});

/** One model entry of a registry (llm/models.yaml), as written in the file. */
export const ModelEntrySchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  capabilities: z.object({ json: z.boolean(), streaming: z.boolean() }).strict(),
  /** Context window in tokens. */
  contextWindow: z.number().int().positive(),
  price: Price.strict(),
  /** Typical latency of a short call, ms. */
  latencyMs: z.number().positive(),
  /** Relative quality score, 0..1. */
  quality: z.number().min(0).max(1),
  /** Requests per minute this deployment may send (0 = unlimited). */
  rpm: z.number().int().min(0).default(0),
  /** Tokens per minute (0 = unlimited). */
  tpm: z.number().int().min(0).default(0),
  enabled: z.boolean().default(true),
}).strict();

const RegistryFile = z.object({ models: z.array(ModelEntrySchema).min(1) }).strict();

/** One model of the registry. `id` is `provider:model`. */
export type ModelInfo = z.infer<typeof ModelEntrySchema> & { readonly id: string };

/** The validated model registry. */
export interface ModelRegistry {
  readonly models: readonly ModelInfo[];
}

/** Parse and validate a registry from YAML or JSON text; errors name the bad field (`models[2].price.input`). */
export function parseRegistry(text: string, source = 'model registry'): ModelRegistry {
  const doc = parseDocument(text, { prettyErrors: false }); // YAML is a superset of JSON
  const syntax = yamlSyntaxIssue(text, doc.errors);
  if (syntax) throw new ValidationError(source, [syntax], { cause: doc.errors[0] });
  return registryFrom(doc.toJS() as unknown, source);
}

/** Validate an already-parsed registry object. */
export function registryFrom(raw: unknown, source = 'model registry'): ModelRegistry {
  const r = RegistryFile.safeParse(raw);
  if (!r.success) throw new ValidationError(source, explainIssues(RegistryFile, r.error.issues, raw));
  const seen = new Set<string>();
  const models: ModelInfo[] = [];
  for (const [k, m] of r.data.models.entries()) {
    const id = `${m.provider}:${m.model}`;
    if (seen.has(id)) throw new ValidationError(source, [{ path: ['models', k], message: `duplicate model ${id}` }]);
    if (m.provider === 'local') throw new ValidationError(source, [{ path: ['models', k, 'provider'], message: 'local is built in; do not list it' }]);
    seen.add(id);
    models.push({ ...m, id });
  }
  return { models };
}

/** Load a registry file (YAML or JSON). */
export function loadRegistry(path: string): ModelRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError(`model registry ${path}`, [{ path: [], message: `cannot read: ${(e as Error).message}` }], { cause: e });
  }
  return parseRegistry(text, `model registry ${path}`);
}

/** Path of the registry that ships with the gateway (llm/models.yaml). */
export const DEFAULT_REGISTRY_PATH = join(dirname(fileURLToPath(import.meta.url)), 'models.yaml');

let defaultRegistry: ModelRegistry | undefined;

/** The registry shipped in llm/models.yaml (loaded once). */
export function defaultModelRegistry(): ModelRegistry {
  defaultRegistry ??= loadRegistry(DEFAULT_REGISTRY_PATH);
  return defaultRegistry;
}
