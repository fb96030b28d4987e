import { z } from 'zod';
import { LairmindConfigSchema } from './lairmindConfigSchema.ts';

/** Where the editors' JSON Schema of `lairmind.config.yaml` lives (relative to the repository root). */
export const CONFIG_SCHEMA_FILE = 'lairmind.config.schema.json';

/**
 * The JSON Schema of `lairmind.config.yaml`, generated from the zod definition (the input shape: every section is
 * optional), for editors (`# yaml-language-server: $schema=./lairmind.config.schema.json`). Cross-field rules
 * (known providers and tiers, soft ≤ hard, the registry file) are checked by `lairmind config check` only.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(LairmindConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const out = {
    ...schema,
    $id: 'https://lairmind.dev/lairmind.config.schema.json',
    title: 'Lairmind LLM gateway configuration',
    description: 'Providers, models, routing, tiers, budgets, cache, presets, retries, breakers and alerts of the LLM gateway. API keys come from environment variables only.',
  };
  return JSON.stringify(out, null, 2) + '\n';
}
