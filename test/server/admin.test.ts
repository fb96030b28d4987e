import { matchMaker } from '@colyseus/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join, serverRoom, startTestServer, waitFor } from '../rooms/serverHarness.ts';
import type { RunningServer } from '../../server/index.ts';

const TOKEN = 'test-admin-token-0123456789';

type Server = RunningServer & { url: string };

describe('admin API', () => {
  let server: Server;
  let http: string;
  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(http + path, {
      method,
      headers: { ...(token !== null && { Authorization: `Bearer ${token}` }), ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
  };

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: TOKEN });
    http = server.url.replace('ws://', 'http://');
  });
  afterAll(async () => server?.close());

  it('lets only the admin API (or the public list) start a room from a scenario', async () => {
    await expect(join(server.url, { scenario: 'stress-5000' }, 'new')).rejects.toThrow(/may only be started through the admin API/);
    const created = await call('POST', '/admin/rooms', { scenario: 'wolf-ambush' });
    expect(created.status).toBe(201);
    const room = serverRoom(created.body.roomId as string);
    expect(room.scenario?.name).toBe('wolf-ambush');
    expect(JSON.stringify(room.config)).not.toMatch(/adminKey/);
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await call('GET', '/admin/rooms', undefined, null)).status).toBe(401);
    const wrong = await call('GET', '/admin/rooms', undefined, 'x'.repeat(TOKEN.length));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/admin token/);
    expect(JSON.stringify(wrong.body)).not.toContain(TOKEN);
  });

  it('answers 404 for unknown rooms, actors and routes, and 400 for bad ids and bodies', async () => {
    expect(await call('GET', '/admin/rooms/nope/actors/1')).toMatchObject({ status: 404, body: { error: "no room 'nope' on any server process" } });
    expect((await call('GET', '/admin/nothing')).status).toBe(404);
    const created = await call('POST', '/admin/rooms', { scenario: 'village' });
    const roomId = created.body.roomId as string;
    expect(await call('GET', `/admin/rooms/${roomId}/actors/999999`)).toMatchObject({ status: 404, body: { error: `no actor 999999 in room '${roomId}'` } });
    expect(await call('GET', `/admin/rooms/${roomId}/actors/abc`)).toMatchObject({ status: 400, body: { issues: [{ path: 'actorId' }] } });
    expect(await call('POST', `/admin/rooms/${roomId}/spawn`, '{ not json')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^invalid body: not valid JSON/) } });
    expect(await call('POST', '/admin/rooms', { scenario: 'no-such-scenario' })).toMatchObject({ status: 400, body: { issues: [{ path: 'scenario', message: expect.stringMatching(/^scenario 'no-such-scenario' not found/) }] } });
    expect(await call('POST', '/admin/rooms', { scenario: '../../etc/passwd' })).toMatchObject({ status: 400 });
  });

  it('creates a room from a scenario (file name or document) and lists it', async () => {
    const created = await call('POST', '/admin/rooms', { scenario: 'village' });
    expect(created.status).toBe(201);
    const room = serverRoom(created.body.roomId);
    expect(room.scenario?.name).toBe('village');
    expect([...room.sim.world.actors.values()].filter((a) => a.kind === 'npc').length).toBeGreaterThanOrEqual(4);
    expect(room.config).toMatchObject({ seed: 'oakford', worldSize: 128, llmTier: 'free' });
    const inline = await call('POST', '/admin/rooms', { scenario: { name: 'tiny', world: { seed: 7, size: 64 }, spawns: [{ pack: { id: 'w', species: 'wolf', size: 2, at: { x: 1, y: 1 } } }], llm: { tier: 'premium', budgetUsd: 0.5 } } });
    expect(inline.status).toBe(201);
    expect(serverRoom(inline.body.roomId).config).toMatchObject({ seed: 7, llmTier: 'premium', llmBudgetUsd: 0.5 });
    const list = await call('GET', '/admin/rooms');
    const ids = (list.body.rooms as { roomId: string }[]).map((r) => r.roomId);
    expect(ids).toEqual(expect.arrayContaining([created.body.roomId, inline.body.roomId]));
    const mine = (list.body.rooms as { roomId: string; processId: string; local: boolean; summary: { scenario: { name: string } } }[]).find((r) => r.roomId === created.body.roomId)!;
    expect(mine).toMatchObject({ processId: list.body.processId, local: true, summary: { roomId: created.body.roomId, scenario: { name: 'village' } } });
    const bad = await call('POST', '/admin/rooms', { scenario: { name: 'bad', spawns: [{ pack: { species: 'wolf', size: 99, at: { x: 0, y: 0 } } }] } });
    expect(bad).toMatchObject({ status: 400, body: { issues: [{ path: 'scenario.spawns[0].pack.size', message: 'got 99; expected an integer from 1 to 24' }] } });
    const gold = await call('POST', '/admin/rooms', { scenario: { name: 'gold', world: { seed: 7, size: 64 }, spawns: [], llm: { tier: 'gold' } } });
    expect(gold).toMatchObject({ status: 400, body: { issues: [{ path: 'scenario.llm.tier', message: "'gold' is not a tier of this server (tiers: free, premium, whale)" }] } });
  });

  it('spawns a scenario into a live room where a connected client sees it; a bad one changes nothing', async () => {
    const a = await join(server.url, { name: 'watcher' }, 'new');
    try {
      const roomId = a.room.roomId;
      const room = serverRoom(roomId);
      const avatar = await waitFor('avatar', () => a.avatar());
      const me = room.sim.world.actors.get(avatar)!.body!;
      const before = room.sim.world.actors.size;

      const bad = await call('POST', `/admin/rooms/${roomId}/spawn`, { name: 'broken', spawns: [{ pack: { species: 'wolf', size: 2, at: { x: 0, y: 0 } } }, { pack: { species: 'wolf', size: 25, at: { x: 1, y: 0 } } }] });
      expect(bad).toMatchObject({ status: 400, body: { error: 'invalid scenario: spawns[1].pack.size: got 25; expected an integer from 1 to 24' } });
      const lairless = await call('POST', `/admin/rooms/${roomId}/spawn?x=${me.x}&y=${me.y}`, { name: 'x', world: { lair: true }, spawns: [{ pack: { species: 'wolf', size: 2, at: { x: 0, y: 0 } } }, { pack: { species: 'goblin', size: 2, lairRoom: 60 } }] });
      expect(lairless.status).toBe(400);
      expect(lairless.body.issues[0].path).toBe('spawns[1].pack.lairRoom');
      expect(await call('POST', `/admin/rooms/${roomId}/spawn`, { entity: { monster: { species: 'wolf', at: { x: 0, y: 0 } } }, at: { x: 1e9, y: 0 } })).toMatchObject({ status: 400 });
      await new Promise((r) => setTimeout(r, 150));
      expect(room.sim.world.actors.size).toBe(before);

      const res = await call('POST', `/admin/rooms/${roomId}/spawn?x=${me.x}&y=${me.y}`, {
        name: 'guests',
        spawns: [{ pack: { id: 'pups', species: 'wolf', size: 3, at: { x: 4, y: 0 }, spread: 1, traits: { aggression: 0 } } }],
        npcs: [{ id: 'bard', name: 'Lute', role: 'bard', at: { x: -3, y: 0 } }],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ instance: 'a1', count: 4, packs: { pups: 'a1:pups' } });
      const spawned = res.body.spawned as number[];
      await waitFor('the client to see the spawned actors', () => spawned.every((id) => a.mirror.entities.has(String(id))));
      expect(spawned.map((id) => a.mirror.entities.get(String(id))!.kind).sort()).toEqual(['monster', 'monster', 'monster', 'npc']);

      const one = await call('POST', `/admin/rooms/${roomId}/spawn`, { entity: { monster: { id: 'solo', species: 'troll', name: 'Mossback', at: { x: 2, y: 2 } } }, at: { x: me.x, y: me.y } });
      expect(one).toMatchObject({ status: 200, body: { count: 1, packs: { solo: 'a2:solo' } } });
      const solo = one.body.spawned[0] as number;
      await waitFor('the troll', () => a.mirror.entities.has(String(solo)));

      const inspected = await call('GET', `/admin/rooms/${roomId}/actors/${spawned[0]}`);
      expect(inspected.status).toBe(200);
      expect(inspected.body.actor).toMatchObject({
        id: spawned[0], kind: 'monster', behaviour: 'monster', status: 'running', mailbox: { depth: expect.any(Number), capacity: 256 },
        tags: { pack: 'a1:pups', species: 'wolf' }, failures: { count: 0, recent: [] },
      });
      expect(inspected.body.actor).toHaveProperty('order');
      expect(inspected.body.actor).toHaveProperty('plan');
      expect(inspected.body.actor).toHaveProperty('memory');
      await waitFor('a decision with its source', () => room.decisions.of(spawned[0]!).length > 0);
      const again = await call('GET', `/admin/rooms/${roomId}/actors/${spawned[0]}`);
      expect(again.body.actor.decisions[0]).toMatchObject({ port: expect.any(String), source: expect.any(String) });

      expect(await call('DELETE', `/admin/rooms/${roomId}/actors/${solo}`)).toMatchObject({ status: 200, body: { despawned: solo } });
      await waitFor('the troll to leave the client', () => !a.mirror.entities.has(String(solo)));
      expect((await call('GET', `/admin/rooms/${roomId}/actors/${solo}`)).status).toBe(404);
      expect((await call('DELETE', `/admin/rooms/${roomId}/actors/${solo}`)).status).toBe(404);
    } finally {
      await a.room.leave();
    }
  });

  it('pauses, single-steps and resumes a room', async () => {
    const created = await call('POST', '/admin/rooms', { scenario: 'wolf-ambush' });
    const roomId = created.body.roomId as string;
    const room = serverRoom(roomId);
    expect(await call('POST', `/admin/rooms/${roomId}/step`, { ticks: 1 })).toMatchObject({ status: 409 });
    const paused = await call('POST', `/admin/rooms/${roomId}/pause`);
    expect(paused.body.paused).toBe(true);
    const t0 = room.sim.world.tick;
    await new Promise((r) => setTimeout(r, 150));
    expect(room.sim.world.tick).toBe(t0);
    expect(await call('POST', `/admin/rooms/${roomId}/step`, { ticks: 3 })).toMatchObject({ status: 200, body: { tick: t0 + 3, paused: true } });
    expect(await call('POST', `/admin/rooms/${roomId}/step`)).toMatchObject({ status: 200, body: { tick: t0 + 4 } });
    expect(await call('POST', `/admin/rooms/${roomId}/step`, { ticks: 0 })).toMatchObject({ status: 400, body: { issues: [{ path: 'ticks' }] } });
    expect(await call('POST', `/admin/rooms/${roomId}/resume`)).toMatchObject({ status: 200, body: { paused: false } });
    await waitFor('the room to run again', () => room.sim.world.tick > t0 + 6);
  });

  it('serves a room on this process directly, without a presence round trip', async () => {
    const created = await call('POST', '/admin/rooms', { scenario: 'wolf-ambush' });
    const roomId = created.body.roomId as string;
    const published = vi.spyOn(matchMaker.presence, 'publish');
    const subscribed = vi.spyOn(matchMaker.presence, 'subscribe');
    try {
      expect((await call('POST', `/admin/rooms/${roomId}/pause`)).status).toBe(200);
      expect((await call('POST', `/admin/rooms/${roomId}/step`, { ticks: 2 })).status).toBe(200);
      expect((await call('GET', `/admin/rooms/${roomId}`)).body).toMatchObject({ roomId, paused: true });
      const ipc = [...published.mock.calls, ...subscribed.mock.calls].map(([topic]) => String(topic)).filter((t) => t.startsWith('ipc:') || t.startsWith('lairmind:rooms:'));
      expect(ipc).toEqual([]);
    } finally {
      published.mockRestore();
      subscribed.mockRestore();
    }
  });

  it("reports a room's LLM tier, budget and calls", async () => {
    const created = await call('POST', '/admin/rooms', { scenario: 'wolf-ambush' });
    const llm = await call('GET', `/admin/rooms/${created.body.roomId}/llm`);
    expect(llm).toMatchObject({ status: 200, body: { tier: 'premium', budget: { limitUsd: 0.05, spentUsd: 0 }, calls: { count: 0 } } });
    expect(llm.body.providers).toEqual(['openai', 'anthropic', 'local']);
  });

  it('shows the dead-letter record and the admission queue', async () => {
    server.llm.deadLetters.add({ at: 1, requestId: 'x-1', operation: 'lore', tenant: 't', player: 'p', room: 'r', reason: 'all providers failed: local (no local handler)', links: [{ link: 'openai:gpt-4o-mini', outcome: 'server' }] });
    const dead = await call('GET', '/admin/llm/dead-letters?limit=5');
    expect(dead).toMatchObject({ status: 200, body: { kept: 1, capacity: 500, byOperation: { lore: 1 }, recent: [{ requestId: 'x-1', links: [{ outcome: 'server' }] }] } });
    const queue = await call('GET', '/admin/llm/queue');
    expect(queue.status).toBe(200);
    expect(queue.body).toHaveProperty('providers');
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('is off', async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(server.url.replace('ws://', 'http://') + '/admin/rooms', { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
