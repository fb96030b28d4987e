import type { PriorityClass } from './admissionQueue.ts';

/** Per-operation defaults; every field can be overridden per call. */
export interface OperationPreset {
  /** Sampling temperature, 0..2. */
  readonly temperature: number;
  /** Upper bound on output tokens. */
  readonly maxTokens: number;
  /**
   * Fewest output tokens worth paying for: when a budget leaves less than this after the prompt, the call is
   * refused (the local handler answers) instead of buying a reply cut short.
   */
  readonly minOutputTokens: number;
  /** Timeout of one attempt, ms. */
  readonly timeoutMs: number;
  /** Total deadline of a call (all attempts and fallbacks), ms. */
  readonly deadlineMs: number;
  /** Whether replies may be served from / stored in the response cache. Creative operations: false. */
  readonly cacheable: boolean;
  /** Cache entry lifetime, ms. */
  readonly cacheTtlMs: number;
  /** Layer name for tier rate limits (e.g. `coordination`). */
  readonly layer: string;
  /** Bound on reply length in characters; longer replies are invalid output. */
  readonly maxOutputChars: number;
  /** Queue class when a provider is at its concurrency cap: `battle` before `dialogue` before `background`. */
  readonly priority: PriorityClass;
  /**
   * Preferred model of this operation (`provider:model`): the route step pins it first (as the `pinned` strategy
   * does) and the usual order follows as fallbacks; a passed soft budget still routes to the cheapest. Absent: the
   * configured strategy alone decides.
   */
  readonly model?: string;
}

/** Fallback for operations with no preset. */
export const DEFAULT_PRESET: OperationPreset = {
  temperature: 0.7,
  maxTokens: 800,
  minOutputTokens: 16,
  timeoutMs: 5_000,
  deadlineMs: 10_000,
  cacheable: true,
  cacheTtlMs: 60_000,
  layer: 'default',
  maxOutputChars: 8_000,
  priority: 'background',
};

/** Built-in presets. `tactics` is the room coordinator's pack-tactics call. */
export const DEFAULT_PRESETS: Readonly<Record<string, Partial<OperationPreset>>> = {
  tactics: { temperature: 0.4, maxTokens: 600, minOutputTokens: 150, timeoutMs: 2_500, deadlineMs: 3_000, cacheable: true, cacheTtlMs: 30_000, layer: 'coordination', maxOutputChars: 4_000, priority: 'battle' },
  dialogue: { temperature: 0.9, maxTokens: 200, minOutputTokens: 24, timeoutMs: 2_000, deadlineMs: 3_000, cacheable: false, cacheTtlMs: 0, layer: 'interaction', maxOutputChars: 1_200, priority: 'dialogue' },
  chat_intent: { temperature: 0, maxTokens: 100, timeoutMs: 1_500, deadlineMs: 2_000, cacheable: true, cacheTtlMs: 300_000, layer: 'interaction', maxOutputChars: 1_000, priority: 'dialogue' },
};

/** The preset for `operation`: built-in defaults, then configured presets, then per-call overrides. */
export function resolvePreset(
  operation: string,
  configured: Readonly<Record<string, Partial<OperationPreset>>> | undefined,
  overrides: Partial<OperationPreset> | undefined,
): OperationPreset {
  return { ...DEFAULT_PRESET, ...DEFAULT_PRESETS[operation], ...configured?.[operation], ...stripUndefined(overrides) };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
