import { ValidationError } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';
import type { GatewayOptions } from '../gatewayTypes.ts';
import type { ProviderKind, ProviderSettings } from '../providerConfig.ts';
import type { LoadedConfig } from './loadLairmindConfig.ts';
import type { ProviderEntry } from './lairmindConfigSchema.ts';

/** Environment variable overriding `alerts.webhookUrl`. */
export const ALERT_WEBHOOK_ENV = 'LAIRMIND_ALERT_WEBHOOK_URL';

type Env = Readonly<Record<string, string | undefined>>;

/** What became of one configured provider. Never holds the key. */
export interface ProviderStatus {
  readonly name: string;
  readonly kind: ProviderKind;
  /** `on`: it will be called; otherwise why not. */
  readonly status: 'on' | 'disabled' | 'no key' | 'not selected';
  /** The environment variables its key is read from, in order. */
  readonly keyEnv: readonly string[];
  /** Where its base URL came from, when it has one (the URL itself may carry credentials, so it is not repeated). */
  readonly baseUrlFrom?: 'file' | 'env';
}

/** Gateway options built from a configuration and the environment, with what happened to each provider. */
export interface GatewaySetup {
  /** Everything the file configures; the caller adds Redis, a logger and `onAlert`. */
  readonly options: GatewayOptions;
  readonly providers: readonly ProviderStatus[];
  /** Where alerts are posted besides the log (from {@link ALERT_WEBHOOK_ENV} or `alerts.webhookUrl`). */
  readonly alertWebhookUrl: string | undefined;
  readonly source: string;
}

export interface GatewaySetupOptions {
  /** Use only these providers (`local` means the local handler, always there); the rest are `not selected`. */
  readonly onlyProviders?: readonly string[];
}

/** Providers when the file lists none: the three built-in ones, keys and base URLs from their usual variables. */
const DEFAULT_PROVIDERS: Readonly<Record<string, ProviderEntry>> = { openai: {}, anthropic: {}, gemini: {} };

const envStem = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** The variables a provider's key is read from: `apiKeyEnv`, else the usual ones for the built-in names, else `<NAME>_API_KEY`. */
export function keyEnvOf(name: string, p: ProviderEntry): string[] {
  if (p.apiKeyEnv) return [p.apiKeyEnv];
  if (name === 'gemini') return ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];
  return [`${envStem(name)}_API_KEY`];
}

/** The variable overriding a provider's base URL: `baseUrlEnv`, else `<NAME>_BASE_URL`. */
export function baseUrlEnvOf(name: string, p: ProviderEntry): string {
  return p.baseUrlEnv ?? `${envStem(name)}_BASE_URL`;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Gateway options from a loaded configuration plus the environment. The environment supplies what is secret or
 * differs per deployment: each provider's key (only ever from the environment), its base URL (`<NAME>_BASE_URL`
 * overrides `baseUrl`), and the alert webhook ({@link ALERT_WEBHOOK_ENV} overrides `alerts.webhookUrl`). A provider
 * without a key is left out, as with no configuration at all. Throws a {@link ValidationError} naming a variable
 * whose value is not a URL (the value is never echoed).
 */
export function gatewaySetup(loaded: LoadedConfig, env: Env = process.env, opts: GatewaySetupOptions = {}): GatewaySetup {
  const c = loaded.config;
  const bad: Issue[] = [];
  const providers: Record<string, ProviderSettings> = {};
  const statuses: ProviderStatus[] = [];
  for (const [name, p] of Object.entries(c.providers ?? DEFAULT_PROVIDERS)) {
    const kind = (p.kind ?? name) as ProviderKind;
    const keyEnv = keyEnvOf(name, p);
    const baseEnv = baseUrlEnvOf(name, p);
    const envBase = env[baseEnv]?.trim() || undefined;
    if (envBase !== undefined && !isHttpUrl(envBase)) bad.push({ path: [baseEnv], message: `expected an http:// or https:// URL (base URL of provider ${name})` });
    const baseURL = envBase ?? p.baseUrl;
    const base = { name, kind, keyEnv, ...(baseURL !== undefined && { baseUrlFrom: envBase !== undefined ? ('env' as const) : ('file' as const) }) };
    const key = keyEnv.map((v) => env[v]?.trim()).find((v) => v);
    if (p.enabled === false) statuses.push({ ...base, status: 'disabled' });
    else if (opts.onlyProviders && !opts.onlyProviders.includes(name)) statuses.push({ ...base, status: 'not selected' });
    else if (!key) statuses.push({ ...base, status: 'no key' });
    else {
      statuses.push({ ...base, status: 'on' });
      providers[name] = { kind, apiKey: key, ...(baseURL !== undefined && { baseURL }) };
    }
  }
  const envHook = env[ALERT_WEBHOOK_ENV]?.trim() || undefined;
  if (envHook !== undefined && !isHttpUrl(envHook)) bad.push({ path: [ALERT_WEBHOOK_ENV], message: 'expected an http:// or https:// URL' });
  if (bad.length) throw new ValidationError('environment', bad);
  const options: GatewayOptions = {
    registry: loaded.registry,
    providers,
    ...(c.routing && { routing: c.routing }),
    ...(c.retry && { retry: c.retry }),
    ...(c.breaker && { breaker: c.breaker }),
    ...(c.queue && { queue: c.queue }),
    ...(c.cache && { cache: c.cache }),
    ...(c.budgets && { budgets: c.budgets }),
    ...(c.tiers && { tiers: c.tiers }),
    ...(c.defaultTier !== undefined && { defaultTier: c.defaultTier }),
    ...(c.presets && { presets: c.presets }),
  };
  return { options, providers: statuses, alertWebhookUrl: envHook ?? c.alerts?.webhookUrl, source: loaded.source };
}

/** A URL reduced to what may be logged: scheme and host (paths, queries and user info of webhooks carry secrets). */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(unparseable URL)';
  }
}
