import { z } from 'zod';
import { PRIORITY_CLASSES } from '../admissionQueue.ts';
import { ModelEntrySchema } from '../registry.ts';
import { DEFAULT_TIERS } from '../tiers.ts';

/** Provider kinds the gateway has an SDK adapter for; a provider named after one needs no `kind`. */
export const PROVIDER_KINDS = ['openai', 'anthropic', 'gemini'] as const;

const Name = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a lower-case name: a letter, then letters, digits, _ or - (at most 32)');
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected an environment variable name (letters, digits and _)');
const HttpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const usd = z.number().min(0);
const ModelId = z.string().regex(/^[a-z][a-z0-9_-]*:.+$/, 'expected a model id provider:model');
const count = z.number().int().min(0);

const ProviderSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Use this provider when its key is set (default true).'),
  kind: z.enum(PROVIDER_KINDS).optional().describe('SDK to speak with: openai, anthropic or gemini (default: the provider name; required for other names, e.g. a compatible proxy).'),
  baseUrl: HttpUrl.optional().describe('Endpoint; OpenAI including /v1, Anthropic and Gemini without a version. The environment variable in baseUrlEnv overrides it.'),
  apiKeyEnv: EnvName.optional().describe('Environment variable holding the API key (default OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY, else <NAME>_API_KEY). Keys are never read from this file.'),
  baseUrlEnv: EnvName.optional().describe('Environment variable that overrides baseUrl (default <NAME>_BASE_URL, e.g. OPENAI_BASE_URL).'),
}).describe('One provider. Without its key in the environment it is left out and calls fall back to the local handler.');

const LimitSchema = (value: z.ZodNumber) => z.strictObject({
  soft: value.optional().describe('Warn and route to the cheapest model past this.'),
  hard: value.optional().describe('Refuse past this (the local handler answers).'),
}).superRefine((l, ctx) => {
  if (l.soft !== undefined && l.hard !== undefined && l.soft > l.hard) ctx.addIssue({ code: 'custom', path: ['soft'], message: `soft (${l.soft}) must not exceed hard (${l.hard})` });
});

const BudgetScopeSchema = z.strictObject({
  tokens: LimitSchema(count).optional().describe('Input plus output tokens.'),
  costUsd: LimitSchema(usd).optional().describe('US dollars.'),
});

const BudgetsSchema = z.strictObject({
  call: BudgetScopeSchema.optional().describe('Each call.'),
  room: BudgetScopeSchema.optional().describe('Each room (or session) over its life.'),
  player: BudgetScopeSchema.optional().describe('Each player per UTC day.'),
  tenant: BudgetScopeSchema.optional().describe('Each tenant (studio or game) per UTC day.'),
  deployment: z.strictObject({
    daily: BudgetScopeSchema.optional().describe('The whole deployment per UTC day.'),
    monthly: BudgetScopeSchema.optional().describe('The whole deployment per UTC month.'),
  }).optional(),
  roomTtlMs: z.number().int().positive().optional().describe('Lifetime of a room\'s counters, ms (default 24 h).'),
  alertFractions: z.array(z.number().gt(0).max(10)).max(16).optional().describe('Fractions of a cost limit (player, tenant, deployment) at which an alert goes out (default [0.8, 1]).'),
}).describe('Budgets per scope; every hard level is enforced by atomic reservations (shared through Redis when configured).');

const TierSchema = z.strictObject({
  layers: z.record(z.union([Name, z.literal('*')]), z.strictObject({
    hourly: count.optional().describe('Cloud calls per hour (0: none, local only; absent: unlimited).'),
    daily: count.optional().describe('Cloud calls per UTC day.'),
  })).default({}).describe('Limits per layer (e.g. coordination, interaction); `*` for unlisted layers.'),
  budget: BudgetScopeSchema.optional().describe('Daily budget of a player (or tenant) of this tier.'),
  alertDailyCostUsd: usd.optional().describe('Alert when a tenant of this tier passes this many USD in a day.'),
});

const RoutingSchema = z.strictObject({
  strategy: z.enum(['cost', 'performance', 'balanced', 'round_robin', 'pinned']).optional().describe('How the primary model and fallbacks are chosen (default balanced).'),
  pinned: ModelId.optional().describe('Model id for the pinned strategy, e.g. openai:gpt-4o-mini.'),
  constraints: z.strictObject({
    maxCostUsd: usd.optional().describe('Most estimated USD per call.'),
    maxLatencyMs: z.number().positive().optional().describe('Most typical latency, ms.'),
    minQuality: z.number().min(0).max(1).optional().describe('Least quality score, 0..1.'),
    preferredProviders: z.array(Name).max(16).optional().describe('These providers\' models first, in this order.'),
    excludedProviders: z.array(Name).max(16).optional().describe('Never route to these providers.'),
  }).optional(),
  weights: z.strictObject({ cost: usd, quality: usd, latency: usd }).optional().describe('Weights of the balanced strategy (default 0.4, 0.4, 0.2).'),
  maxFallbacks: z.number().int().min(0).max(10).optional().describe('Cloud fallbacks after the primary (default 2); the local handler always comes last.'),
  live: z.strictObject({
    enabled: z.boolean().optional().describe('Route performance and balanced on live figures (default true).'),
    minSamples: z.number().int().min(1).max(10_000).optional().describe('Attempts in the window before a deployment\'s live figures replace the registry\'s (default 5).'),
    minSuccessRate: z.number().min(0).max(1).optional().describe('Below this success rate a deployment is ranked after every healthy one (default 0.8).'),
    windowMs: z.number().int().min(1000).max(86_400_000).optional().describe('Length of the sliding window, ms (default 300000).'),
    healthChecks: z.strictObject({
      intervalMs: z.number().int().min(1000).max(86_400_000).optional().describe('How often to look for idle deployments, ms (default 60000).'),
      idleMs: z.number().int().min(0).max(86_400_000).optional().describe('Check a deployment with no attempt or check for this long, ms (default 300000).'),
      timeoutMs: z.number().int().min(1).max(120_000).optional().describe('Deadline of one check, ms (default 5000).'),
    }).optional().describe('Active health checks: a one-token request to each idle deployment (off unless present; each costs a few tokens).'),
  }).optional().describe('Live figures per deployment (success rate, latency p50/p95 over a sliding window) for the performance and balanced strategies.'),
});

const PresetSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional().describe('Upper bound on output tokens.'),
  timeoutMs: z.number().int().min(1).max(600_000).optional().describe('Timeout of one attempt, ms.'),
  deadlineMs: z.number().int().min(1).max(600_000).optional().describe('Total deadline of a call, ms.'),
  cacheable: z.boolean().optional().describe('Whether replies may be cached.'),
  cacheTtlMs: z.number().int().min(0).optional().describe('Cache entry lifetime, ms (0: not cached).'),
  layer: Name.optional().describe('Layer name for tier limits.'),
  maxOutputChars: z.number().int().min(1).max(10_000_000).optional().describe('Longest reply accepted, characters.'),
  minOutputTokens: z.number().int().min(1).max(1_000_000).optional().describe('Fewest output tokens worth buying when a budget is nearly spent (else the local handler answers).'),
  priority: z.enum(PRIORITY_CLASSES).optional().describe('Queue class when a provider is at its concurrency cap: battle before dialogue before background.'),
  model: ModelId.optional().describe('Preferred model of this operation, provider:model: tried first (as routing.pinned does for every operation), the usual order after it as fallbacks.'),
});

const ModelsSchema = z.strictObject({
  registry: z.string().min(1).max(4096).optional().describe('A registry file in the shape of llm/models.yaml, relative to this file.'),
  entries: z.array(ModelEntrySchema).min(1).max(1000).optional().describe('The registry inline: the same entries as llm/models.yaml.'),
}).describe('The model registry: a file or inline entries (leave models out for the built-in llm/models.yaml).');

/**
 * `lairmind.config.yaml`: the LLM gateway's providers, models, routing, tiers, budgets, cache, presets, retries,
 * breakers and alerts. Every section is optional; an absent one keeps the gateway's default. API keys are never in
 * the file: each provider names the environment variable holding its key.
 */
export const LairmindConfigSchema = z.strictObject({
  providers: z.record(Name, ProviderSchema).optional().describe('Providers by name (default: openai, anthropic and gemini, keys from their usual variables). When present, exactly these.'),
  models: ModelsSchema.optional(),
  routing: RoutingSchema.optional(),
  tiers: z.record(Name, TierSchema).optional().describe('Player tiers by name (default: free, premium, whale). When present, exactly these.'),
  defaultTier: Name.optional().describe('Tier of a call that names none (default: none, i.e. no tier limits).'),
  budgets: BudgetsSchema.optional(),
  cache: z.strictObject({
    enabled: z.boolean().optional().describe('Response cache on or off (default on); per-operation lifetimes are presets.<op>.cacheTtlMs.'),
    maxEntries: z.number().int().min(1).max(10_000_000).optional().describe('Entries of the in-memory LRU (default 10000).'),
  }).optional(),
  presets: z.record(Name, PresetSchema).optional().describe('Per-operation presets over the built-in ones (tactics, dialogue, chat_intent).'),
  retry: z.strictObject({
    maxRetries: z.number().int().min(0).max(10).optional().describe('Retries on the same model before moving down the chain (default 1).'),
    baseDelayMs: z.number().min(0).max(60_000).optional().describe('First backoff, ms (default 50).'),
    maxDelayMs: z.number().min(0).max(60_000).optional().describe('Largest backoff, ms (default 500).'),
  }).optional(),
  breaker: z.strictObject({
    failureThreshold: z.number().int().min(1).optional().describe('Open after this many failures in a window (default 3).'),
    failureRate: z.number().gt(0).max(1).optional().describe('…or this fraction of failed calls (default 0.5)…'),
    minCalls: z.number().int().min(1).optional().describe('…once the window has this many calls (default 10).'),
    windowMs: z.number().int().min(1).optional().describe('Counting window, ms (default 30000).'),
    cooldownMs: z.number().int().min(0).optional().describe('Open time before one probe, ms (default 5000).'),
  }).optional(),
  queue: z.strictObject({
    concurrency: z.record(z.string().min(1).max(64), z.number().int().min(1).max(100_000)).optional().describe('Attempts in flight per provider in this process (`*` for the others); past it, requests wait by priority class, rooms taking turns. Absent: no cap.'),
    maxWaiting: z.number().int().min(1).max(1_000_000).optional().describe('Requests waiting per provider; past it, the fallback answers at once (default 1000).'),
  }).optional().describe('The admission queue in front of the providers.'),
  alerts: z.strictObject({
    webhookUrl: HttpUrl.optional().describe('POST each budget alert here as JSON (the log always gets it). LAIRMIND_ALERT_WEBHOOK_URL overrides it; webhook URLs carry secrets, so prefer the variable.'),
  }).optional().describe('Where budget alerts go; thresholds are budgets.alertFractions.'),
}).superRefine(crossCheck);

export type LairmindConfig = z.output<typeof LairmindConfigSchema>;
export type LairmindConfigInput = z.input<typeof LairmindConfigSchema>;
export type ProviderEntry = z.output<typeof ProviderSchema>;

/** Provider names a model or a routing rule may name: the configured ones and the built-in kinds. */
export function knownProviders(c: Pick<LairmindConfig, 'providers'>): string[] {
  return [...new Set([...Object.keys(c.providers ?? {}), ...PROVIDER_KINDS])];
}

/** Rules across sections: provider names and kinds, model providers, the default tier, pinned and listed providers. */
function crossCheck(c: LairmindConfig, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const kinds: readonly string[] = PROVIDER_KINDS;
  for (const [name, p] of Object.entries(c.providers ?? {})) {
    if (name === 'local') issue(['providers', name], 'local is built in (the local handler); do not list it');
    else if (!p.kind && !kinds.includes(name)) issue(['providers', name, 'kind'], `required for a provider not named ${PROVIDER_KINDS.join(', ')} (which SDK speaks to it)`);
  }
  const known = knownProviders(c);
  const unknown = (p: string): string => `unknown provider "${p}" (known: ${known.join(', ')})`;
  if (c.models) {
    const m = c.models;
    if (m.registry !== undefined && m.entries !== undefined) issue(['models'], 'give either registry (a file) or entries (inline), not both');
    if (m.registry === undefined && m.entries === undefined) issue(['models'], 'give registry (a file) or entries (inline), or leave models out for the built-in registry');
    const seen = new Set<string>();
    m.entries?.forEach((e, k) => {
      const id = `${e.provider}:${e.model}`;
      if (e.provider === 'local') issue(['models', 'entries', k, 'provider'], 'local is built in; do not list it');
      else if (!known.includes(e.provider)) issue(['models', 'entries', k, 'provider'], unknown(e.provider));
      if (seen.has(id)) issue(['models', 'entries', k], `duplicate model ${id}`);
      seen.add(id);
    });
  }
  const tiers = c.tiers ?? DEFAULT_TIERS;
  if (c.defaultTier !== undefined && !tiers[c.defaultTier]) issue(['defaultTier'], `unknown tier "${c.defaultTier}" (tiers: ${Object.keys(tiers).join(', ') || 'none'})`);
  const r = c.routing;
  if (r?.strategy === 'pinned' && r.pinned === undefined) issue(['routing', 'pinned'], 'required when routing.strategy is pinned');
  if (r?.pinned !== undefined) {
    const provider = r.pinned.slice(0, r.pinned.indexOf(':'));
    if (!known.includes(provider)) issue(['routing', 'pinned'], unknown(provider));
  }
  for (const [op, p] of Object.entries(c.presets ?? {})) {
    const colon = p.model?.indexOf(':') ?? -1;
    if (colon < 0) continue; // absent, or already an error of its own
    const provider = (p.model as string).slice(0, colon);
    if (!known.includes(provider)) issue(['presets', op, 'model'], unknown(provider));
  }
  for (const list of ['preferredProviders', 'excludedProviders'] as const) {
    r?.constraints?.[list]?.forEach((p, k) => {
      if (!known.includes(p)) issue(['routing', 'constraints', list, k], unknown(p));
    });
  }
}
