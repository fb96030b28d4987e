import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTactician } from '../../actors/index.ts';
import type { BattleContext } from '../../actors/index.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { promptText, startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider, Responder } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';
import { waitFor } from '../rooms/serverHarness.ts';
import type { Joined } from '../rooms/serverHarness.ts';
import { ADMIN, configFile, dir, http, joinAlone, MODEL, MODEL_ID, poll, premiumToken, series, startServer, USAGE } from './cloudServer.ts';

/**
 * Issue #21 end to end, with the server in its own process and a fake OpenAI in this one: a player brings a premium
 * token into a room of their own, a wolf pack is spawned next to them through the admin API, and the room's
 * coordinator asks the cloud for a plan that the player pays for; a guest's battle stays on the local tactician; a
 * provider that fails every call opens the breaker, and /health and /metrics say so.
 */

/** The fake answers with the tactician's plan for the battle context it finds in the prompt. */
function planFromPrompt(body: Record<string, unknown>): string {
  const user = promptText('openai', body).user;
  const json = /CONTEXT (\{.*\})\n/.exec(user)?.[1];
  if (!json) throw new Error('no CONTEXT line in the prompt');
  return JSON.stringify(localTactician(JSON.parse(json) as BattleContext));
}
const answersPlans: Responder = (req) => ({ type: 'ok', text: planFromPrompt(req.body), usage: USAGE });

/** Spawn a pack of three wolves `dx` tiles from `at` through the admin API. */
async function spawnWolves(server: ServerProcess, roomId: string, at: { x: number; y: number }, id = 'wolves', dx = 5): Promise<void> {
  const res = await http(server, 'POST', `/admin/rooms/${roomId}/spawn?x=${at.x}&y=${at.y}`, {
    name: 'ambush', spawns: [{ pack: { id, species: 'wolf', size: 3, at: { x: dx, y: 0 }, spread: 1 } }],
  });
  expect(res.status).toBe(200);
  expect(res.body.count).toBe(3);
}

interface ClientPlan { pack: string; source: string; model: string; note: string }

/** The plans the client holds (its view of the room's `plans`). */
function clientPlans(joined: Joined): ClientPlan[] {
  const plans = (joined.room.state as { plans?: Map<string, ClientPlan> }).plans;
  const out: ClientPlan[] = [];
  plans?.forEach((p) => out.push({ pack: p.pack, source: p.source, model: p.model, note: p.note }));
  return out;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a battle in a live server asks the cloud on the paying player\'s account (fake OpenAI answering plans)', () => {
  let fake: FakeProvider;
  let server: ServerProcess;
  beforeAll(async () => {
    fake = await startFake('openai', answersPlans);
    server = await startServer(fake, configFile('answers.yaml'));
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('a premium player: the fake gets a tactics request, the room\'s report shows openai spend paid by the player, and the plan in the state is openai\'s', async () => {
    const token = await premiumToken(server, 'alice');
    const { joined, at } = await joinAlone(server, token);
    try {
      const roomId = joined.room.roomId;
      await spawnWolves(server, roomId, at);

      await poll('a tactics request at the fake', async () => fake.requests.length > 0);
      const req = fake.requests[0]!;
      expect(req.path).toBe('/v1/chat/completions');
      expect(req.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
      expect(req.body.model).toBe(MODEL);
      const user = promptText('openai', req.body).user;
      expect(user).toMatch(/CONTEXT \{"leader":1,/); // the battle relabelled: members 1..N, players 101…
      expect(user).toMatch(/"species":"wolf"/);

      const plan = await waitFor('an openai plan in the client\'s state', () => clientPlans(joined).find((p) => p.source === 'openai'), 10_000);
      expect(plan).toMatchObject({ model: MODEL, note: `accepted ${MODEL_ID}` });

      const llm = await poll('the room\'s report to show the openai call', async () => {
        const r = await http(server, 'GET', `/admin/rooms/${roomId}/llm`);
        return r.body?.calls?.byProvider?.openai > 0 && r;
      });
      expect(llm.status).toBe(200);
      const body = llm.body;
      expect(body.tier).toBe('free'); // the room's own tier allows no cloud calls: the player pays
      expect(body.calls.spendByModel[MODEL_ID]).toBeGreaterThan(0);
      expect(body.budget.spentUsd).toBeGreaterThan(0);
      expect(body.budget.spentUsd).toBeCloseTo(body.calls.spendByModel[MODEL_ID], 9);
      const cloud = (body.recent as { provider: string; costUsd: number }[]).filter((r) => r.provider === 'openai');
      expect(cloud.length).toBeGreaterThan(0);
      for (const r of cloud) {
        expect(r).toMatchObject({ operation: 'tactics', player: 'alice', tier: 'premium', model: MODEL, outcome: 'ok' });
        expect(r.costUsd).toBeGreaterThan(0);
      }
      expect(body.plans.openai).toBeGreaterThan(0);

      // Spend is the attempt's provider's, and only that: no local series carries any.
      const metrics = await http(server, 'GET', '/metrics');
      const cost = series(metrics.text, 'llm_cost_usd_total');
      expect(cost.find((s) => s.labels.includes('provider="openai"') && s.labels.includes(`model="${MODEL}"`))?.value).toBeGreaterThan(0);
      expect(cost.filter((s) => s.labels.includes('provider="local"') && s.value > 0)).toEqual([]);
    } finally {
      await joined.room.leave();
    }
  }, 45_000);

  it('a guest in the same battle: nothing reaches the fake (free tier), the plan is the tactician\'s', async () => {
    const before = fake.requests.length;
    const { joined, at } = await joinAlone(server, undefined);
    try {
      const roomId = joined.room.roomId;
      await spawnWolves(server, roomId, at);

      // The coordinator asks the plan port at once; the gateway answers from the local tactician.
      const llm = await poll('the room\'s report to show the local answer', async () => {
        const r = await http(server, 'GET', `/admin/rooms/${roomId}/llm`);
        return r.body?.calls?.byProvider?.local > 0 && r;
      });
      const body = llm.body;
      expect(body.calls.byProvider).toEqual({ local: body.calls.count });
      expect(body.budget.spentUsd).toBe(0);
      expect(body.recent[0]).toMatchObject({ operation: 'tactics', provider: 'local', player: `room:${roomId}`, tier: 'free', costUsd: 0, fallbackReason: expect.stringMatching(/^tier free: no cloud calls/) });
      expect(body.plans).toEqual({ local: expect.any(Number) });

      const plan = await waitFor('the tactician\'s plan in the client\'s state, after the local answer', () => clientPlans(joined).find((p) => p.note.startsWith('gateway answered locally')), 10_000);
      expect(plan.source).toBe('tactician');
      expect(clientPlans(joined).some((p) => p.source === 'openai')).toBe(false);
      expect(fake.requests.length).toBe(before);
    } finally {
      await joined.room.leave();
    }
  }, 45_000);

  it('a cloud answer that fails validation twice: the tactician plans, and the spend stays on the openai attempts that used it', async () => {
    fake.respond(() => ({ type: 'ok', text: '{"formation":"blob"}', usage: USAGE }));
    const before = fake.requests.length;
    const token = await premiumToken(server, 'carol');
    const { joined, at } = await joinAlone(server, token);
    try {
      const roomId = joined.room.roomId;
      await spawnWolves(server, roomId, at);
      const llm = await poll('the room\'s report to show the local answer', async () => {
        const r = await http(server, 'GET', `/admin/rooms/${roomId}/llm`);
        return r.body?.calls?.byProvider?.local > 0 && r;
      });
      expect(fake.requests.length - before).toBe(2); // the answer and its repair
      const body = llm.body;
      expect(body.recent[0]).toMatchObject({ provider: 'local', player: 'carol', tier: 'premium', costUsd: expect.any(Number) });
      expect(body.recent[0].costUsd).toBeGreaterThan(0);
      expect(body.calls.spendByModel).toEqual({ [MODEL_ID]: body.recent[0].costUsd });
      expect(body.budget.spentUsd).toBeCloseTo(body.recent[0].costUsd, 9);

      const metrics = await http(server, 'GET', '/metrics');
      const cost = series(metrics.text, 'llm_cost_usd_total');
      expect(cost.filter((s) => s.labels.includes('provider="local"') && s.value > 0)).toEqual([]);
      expect(cost.filter((s) => s.labels.includes('provider="openai"')).reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(body.recent[0].costUsd);
    } finally {
      fake.respond(answersPlans);
      await joined.room.leave();
    }
  }, 45_000);
});

describe('a provider failing every call opens the breaker; /health and /metrics say so', () => {
  let fake: FakeProvider;
  let server: ServerProcess;
  beforeAll(async () => {
    fake = await startFake('openai', () => ({ type: 'error', status: 500, message: 'fake outage' }));
    server = await startServer(fake, configFile('failing.yaml', ['breaker: { failureThreshold: 1, cooldownMs: 60000 }']));
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('after the battle starts the cloud is unreachable (degraded, still 200), the breaker open, and no spend recorded', async () => {
    const healthy = await http(server, 'GET', '/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body.components.llm).toMatchObject({ status: 'ok', cloud: 'ok' });

    const token = await premiumToken(server, 'bob');
    const { joined, at } = await joinAlone(server, token);
    try {
      const roomId = joined.room.roomId;
      await spawnWolves(server, roomId, at);

      await poll('a request at the fake', async () => fake.requests.length > 0);
      const health = await poll('/health to report the cloud unreachable', async () => {
        const r = await http(server, 'GET', '/health');
        return r.body?.components?.llm?.cloud === 'unreachable' && r;
      });
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.components.llm).toMatchObject({ status: 'degraded', cloud: 'unreachable', openBreakers: [MODEL_ID], unavailable: [MODEL_ID] });

      const metrics = await http(server, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(series(metrics.text, 'llm_breaker_state')).toEqual([{ labels: `{key="${MODEL_ID}"}`, value: 2 }]);
      expect(metrics.text).toMatch(/^# TYPE llm_cost_usd_total counter$/m);
      expect(series(metrics.text, 'llm_cost_usd_total').filter((s) => s.labels.includes('provider="local"') && s.value > 0)).toEqual([]);

      // The player's battle goes on with the tactician; the failed attempts were charged to nobody.
      const llm = await poll('the room\'s report to show the local answer', async () => {
        const r = await http(server, 'GET', `/admin/rooms/${roomId}/llm`);
        return r.body?.calls?.byProvider?.local > 0 && r;
      });
      expect(llm.body.recent[0]).toMatchObject({ operation: 'tactics', provider: 'local', player: 'bob', tier: 'premium', costUsd: 0, fallbackReason: expect.any(String) });
      expect(llm.body.budget.spentUsd).toBe(0);
      await waitFor('the tactician\'s plan in the client\'s state, after the local answer', () => clientPlans(joined).find((p) => p.note.startsWith('gateway answered locally')), 10_000);
      const sent = fake.requests.length;
      expect(sent).toBe(1); // the first failure opened the breaker (threshold 1): no retry goes after it

      // A second pack engages: its ask skips the open breaker and never reaches the provider.
      await spawnWolves(server, roomId, at, 'more-wolves', -5);
      const again = await poll('the room\'s report to show a second local answer', async () => {
        const r = await http(server, 'GET', `/admin/rooms/${roomId}/llm`);
        return r.body?.calls?.byProvider?.local > 1 && r;
      });
      expect(again.body.recent[0]).toMatchObject({ provider: 'local', player: 'bob', costUsd: 0, fallbackReason: expect.stringContaining('circuit open') });
      expect(again.body.budget.spentUsd).toBe(0);
      expect(fake.requests.length).toBe(sent);
    } finally {
      await joined.room.leave();
    }
  }, 45_000);
});
