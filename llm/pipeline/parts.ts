import type { Clock, Rng } from '../../shared/index.ts';
import type { Accounting } from '../accounting.ts';
import type { AdmissionQueue } from '../admissionQueue.ts';
import type { DeadLetters } from '../deadLetters.ts';
import type { CircuitBreakers } from '../breaker.ts';
import type { ResponseCache } from '../cache.ts';
import type { Cooldowns } from '../cooldowns.ts';
import type { GatewayOptions, RetryPolicy } from '../gatewayTypes.ts';
import type { LocalProvider } from '../providers/local.ts';
import type { LiveStats } from '../liveStats.ts';
import type { Redactor } from '../redact.ts';
import type { RedisSlotStore } from '../stores/redisSlotStore.ts';
import type { ModelInfo } from '../registry.ts';
import type { Router } from '../router.ts';
import type { Sleep } from '../sleep.ts';
import type { Telemetry } from '../telemetry.ts';
import type { TierLimiter } from '../tiers.ts';
import type { TokenCounter } from '../tokens.ts';
import type { ProviderAdapter } from '../types.ts';

/** The gateway's components, as the steps of a call use them. Built once by the gateway. */
export interface GatewayParts {
  readonly opts: GatewayOptions;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly sleep: Sleep;
  readonly retry: RetryPolicy;
  readonly redactor: Redactor;
  readonly cache: ResponseCache;
  readonly cacheEnabled: boolean;
  readonly breakers: CircuitBreakers;
  readonly cooldowns: Cooldowns;
  readonly accounting: Accounting;
  readonly tiers: TierLimiter;
  readonly router: Router;
  readonly byId: ReadonlyMap<string, ModelInfo>;
  /** The routable models, for counting a prompt with each one's tokenizer. */
  readonly models: readonly ModelInfo[];
  readonly tokens: TokenCounter;
  /** Each deployment's recent attempts (success rate, latency), which the router reads. */
  readonly liveStats: LiveStats;
  readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  readonly local: LocalProvider;
  readonly telemetry: Telemetry;
  readonly queue: AdmissionQueue;
  readonly deadLetters: DeadLetters;
  /** With Redis: the queue's caps hold for every process together. */
  readonly sharedSlots: RedisSlotStore | undefined;
  /** Whether any cloud model is configured. */
  readonly hasModels: boolean;
  /** Whether any budget scope has a soft level (else the soft check is skipped). */
  readonly hasSoftBudgets: boolean;
  nextRequestId(): string;
  /** A random token for nonces and canaries. */
  token(): string;
  log(level: 'warn' | 'debug', obj: object, msg: string): void;
}

/** Wall time for latencies and deadlines, ms. */
export const now = (): number => performance.now();
