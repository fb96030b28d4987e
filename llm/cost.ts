import type { ModelInfo } from './registry.ts';
import type { Usage } from './types.ts';

/** Micro-dollars (1e-6 USD) per USD: budgets count integers so Redis INCRBY stays exact. */
export const MICROS_PER_USD = 1_000_000;

/** Cost of a usage on a model, in USD. Cached input tokens are charged at the cached price. */
export function costUsd(model: Pick<ModelInfo, 'price'>, usage: Usage): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const p = model.price;
  return (fresh * p.input + cached * p.cachedInput + usage.outputTokens * p.output) / 1_000_000;
}

/** Upper-bound cost estimate of a call before it is made (no cache discount, full max tokens), USD. */
export function estimateCostUsd(model: Pick<ModelInfo, 'price'>, inputTokens: number, maxOutputTokens: number): number {
  return costUsd(model, { inputTokens, cachedInputTokens: 0, outputTokens: maxOutputTokens });
}

/** USD → integer micro-dollars, rounded up (never under-reserve). */
export function toMicros(usd: number): number {
  return Math.ceil(usd * MICROS_PER_USD - 1e-9);
}
