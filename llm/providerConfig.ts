import type { Redactor } from './redact.ts';
import { AnthropicAdapter } from './providers/anthropic.ts';
import { GeminiAdapter } from './providers/gemini.ts';
import { OpenAiAdapter } from './providers/openai.ts';
import type { ProviderAdapter } from './types.ts';

/** Which SDK speaks to a provider. A compatible endpoint (a proxy, a local server) reuses a kind. */
export type ProviderKind = 'openai' | 'anthropic' | 'gemini';

/** One configured provider. The key never leaves the adapter (errors and logs are redacted). */
export interface ProviderSettings {
  /** SDK to use; defaults to the provider's name when that is a known kind. */
  readonly kind?: ProviderKind;
  readonly apiKey: string;
  /** Base URL: OpenAI including `/v1`; Anthropic and Gemini without a version. */
  readonly baseURL?: string;
}

/** Configured providers by registry name (`openai`, `anthropic`, `gemini`, or your own). */
export type ProvidersConfig = Readonly<Record<string, ProviderSettings>>;

/**
 * Providers from environment variables: `OPENAI_API_KEY` / `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY` /
 * `ANTHROPIC_BASE_URL`, `GEMINI_API_KEY` (or `GOOGLE_API_KEY`) / `GEMINI_BASE_URL`. A provider without a
 * key is left out; with none at all the gateway runs on the local provider only.
 */
export function providersFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ProvidersConfig {
  const out: Record<string, ProviderSettings> = {};
  const add = (name: ProviderKind, key: string | undefined, base: string | undefined): void => {
    if (key && key.trim()) out[name] = { kind: name, apiKey: key.trim(), ...(base ? { baseURL: base } : {}) };
  };
  add('openai', env.OPENAI_API_KEY, env.OPENAI_BASE_URL);
  add('anthropic', env.ANTHROPIC_API_KEY, env.ANTHROPIC_BASE_URL);
  add('gemini', env.GEMINI_API_KEY ?? env.GOOGLE_API_KEY, env.GEMINI_BASE_URL);
  return out;
}

/** Build the SDK adapter for a configured provider. */
export function createAdapter(name: string, s: ProviderSettings, redactor: Redactor): ProviderAdapter {
  const kind = s.kind ?? (name as ProviderKind);
  const conn = { apiKey: s.apiKey, ...(s.baseURL ? { baseURL: s.baseURL } : {}) };
  if (kind === 'openai') return new OpenAiAdapter(conn, redactor, name);
  if (kind === 'anthropic') return new AnthropicAdapter(conn, redactor, name);
  if (kind === 'gemini') return new GeminiAdapter(conn, redactor, name);
  throw new RangeError(`provider "${name}": unknown kind "${String(kind)}" (openai, anthropic, gemini)`);
}
