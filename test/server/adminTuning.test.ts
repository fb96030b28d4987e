import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTuningServer, TUNING_TOKEN } from './tuningServer.ts';
import type { TuningServer } from './tuningServer.ts';

async function get(base: string, path: string, token: string | null = TUNING_TOKEN): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(base + path, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('GET /admin/llm/tuning: suggestions from this process\'s telemetry', () => {
  let s: TuningServer;
  beforeAll(async () => {
    s = await startTuningServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('suggests maxTokens and temperature for tactics from the recorded calls, with evidence and reasons', async () => {
    const r = await get(s.url, '/admin/llm/tuning');
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe('the last 60 calls of this process (the gateway keeps its most recent calls only)');
    expect(r.body.records).toBe(60);
    expect(r.body.suggestions).toEqual([
      {
        operation: 'tactics', field: 'maxTokens', current: 600, suggested: 200,
        evidence: { samples: 60, quantile: 0.99, atQuantile: 159, p50: 129, max: 159, replies: 69, capHits: 0, capHitRate: 0 },
        rationale: 'p99 of 60 successful replies is 159 tokens (longest 159); 200 leaves 20% headroom, and a lower cap shrinks every reservation and cost estimate',
      },
      {
        operation: 'tactics', field: 'temperature', current: 0.4, suggested: 0.2,
        evidence: { samples: 60, invalidCalls: 9, invalidRate: 0.15, repairRate: 0.15, rejectionRate: 0 },
        rationale: '9 of 60 calls (15%, above 10%) had an invalid reply: 9 repaired, 0 rejected after repair; a lower temperature makes the output steadier',
      },
    ]);
    expect(r.body.operations).toEqual([{ operation: 'tactics', calls: 60, cloudCalls: 60, notes: ['model: only openai:gpt-4o-mini answered'] }]);
    expect(r.body.options).toMatchObject({ minSamples: 50, invalidRate: 0.1 });
  });

  it('?minSamples and ?limit: fewer records or a higher bar, and no suggestion without enough samples', async () => {
    const strict = await get(s.url, '/admin/llm/tuning?minSamples=61');
    expect(strict.body.suggestions).toEqual([]);
    expect(strict.body.operations[0].notes).toEqual(['maxTokens: 60 successful replies, 61 needed', 'temperature: 60 calls with a reply, 61 needed', 'model: only openai:gpt-4o-mini answered']);
    const few = await get(s.url, '/admin/llm/tuning?limit=10');
    expect([few.body.records, few.body.suggestions.length]).toEqual([10, 0]);
  });

  it('a bad query is a 400 naming the parameter; no token is a 401; nothing changes', async () => {
    const bad = await get(s.url, '/admin/llm/tuning?limit=0&minSamples=x');
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['limit', 'minSamples']);
    const unknown = await get(s.url, '/admin/llm/tuning?minsamples=5');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/^invalid tuning query: minsamples: unknown key; did you mean "minSamples"\?/);
    expect((await get(s.url, '/admin/llm/tuning', null)).status).toBe(401);
    expect(s.gw.preset('tactics')).toMatchObject({ maxTokens: 600, temperature: 0.4 });
  });
});
