import type { LlmGateway } from '../../llm/index.ts';
import type { WorldRoomOptions } from '../../rooms/index.ts';

/** Records scanned for one room's calls (the gateway keeps its most recent calls only). */
const SCAN = 1000;

/**
 * A room's LLM use: its tier and budget, calls, tokens and cost (all USD, spend per provider and model from the
 * attempts that spent it), and its latest calls (no prompt text). `spentUsd` is the room's budget counter, shared by
 * every process (it includes reservations of calls still in flight). Each recent call names who paid for it: the
 * player account and tier it was charged to (`room:<id>` on the room's tier when no player in the fight could pay).
 */
export async function roomLlmReport(llm: LlmGateway, roomId: string, config: WorldRoomOptions): Promise<Record<string, unknown>> {
  const records = llm.telemetry.recent(SCAN).filter((r) => r.room === roomId);
  let spentUsd: number;
  try {
    spentUsd = await llm.roomSpentUsd(roomId);
  } catch {
    spentUsd = llm.telemetry.aggregates().costUsd.byRoom[roomId] ?? 0; // the shared counters are unreachable
  }
  const opts = config as WorldRoomOptions & { llmTier?: unknown; llmBudgetUsd?: unknown; llmProviders?: unknown };
  const configured = llm.accounting.budgets.config.room?.costUsd?.hard;
  const limitUsd = typeof opts.llmBudgetUsd === 'number' ? opts.llmBudgetUsd : (configured ?? null);
  const byProvider: Record<string, number> = {};
  const byOperation: Record<string, number> = {};
  const spendByModel: Record<string, number> = {};
  let errors = 0;
  const tokens = { input: 0, output: 0 };
  for (const r of records) {
    byProvider[r.provider] = (byProvider[r.provider] ?? 0) + 1;
    byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
    if (r.outcome !== 'ok') errors++;
    tokens.input += r.inputTokens;
    tokens.output += r.outputTokens;
    for (const a of r.attempts) if (a.costUsd) spendByModel[`${a.provider}:${a.model}`] = (spendByModel[`${a.provider}:${a.model}`] ?? 0) + a.costUsd;
  }
  return {
    roomId,
    tier: typeof opts.llmTier === 'string' ? opts.llmTier : null,
    providers: Array.isArray(opts.llmProviders) ? opts.llmProviders : null,
    budget: { limitUsd, spentUsd, remainingUsd: limitUsd === null ? null : Math.max(0, limitUsd - spentUsd), fraction: limitUsd ? spentUsd / limitUsd : null },
    calls: { count: records.length, errors, byProvider, byOperation, tokens, spendByModel, scanned: SCAN },
    recent: records.slice(0, 50).map((r) => ({
      requestId: r.requestId, operation: r.operation, player: r.player ?? null, tier: r.tier, provider: r.provider, model: r.model, outcome: r.outcome, cached: r.cached,
      latencyMs: r.latencyMs, costUsd: r.costUsd, inputTokens: r.inputTokens, outputTokens: r.outputTokens, fallbackReason: r.fallbackReason ?? null,
    })),
  };
}
