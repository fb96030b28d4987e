import { z } from 'zod';
import { suggestTuning } from '../../llm/index.ts';
import type { LlmGateway, ModelInfo, TuningReport } from '../../llm/index.ts';
import { explainIssues } from '../../shared/index.ts';
import { badRequest } from './adminErrors.ts';

/** Most call records one report reads. */
export const MAX_TUNING_SCAN = 100_000;

const QuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_TUNING_SCAN).optional(),
  minSamples: z.coerce.number().int().min(1).max(MAX_TUNING_SCAN).optional(),
}).strict();

/** What `GET /admin/llm/tuning` answers: the report and whose records it read. */
export interface TuningResponse extends TuningReport {
  readonly scope: string;
}

/**
 * Preset suggestions from this process's recent call records (`?limit=N` most recent, default every record kept;
 * `?minSamples=N` observations a rule needs, default 50), against the presets the gateway runs with and the
 * registry's prices. Read-only: nothing changes until an operator writes the suggestions into the config file.
 */
export function tuningResponse(llm: LlmGateway, models: readonly ModelInfo[], query: unknown): TuningResponse {
  const q = QuerySchema.safeParse(query);
  if (!q.success) throw badRequest('tuning query', explainIssues(QuerySchema, q.error.issues, query));
  const records = llm.telemetry.recent(q.data.limit ?? MAX_TUNING_SCAN);
  const n = q.data.minSamples;
  const report = suggestTuning(records, (op) => llm.preset(op), models, n === undefined ? {} : { minSamples: n, modelMinCalls: n });
  return { scope: `the last ${records.length} calls of this process (the gateway keeps its most recent calls only)`, ...report };
}
