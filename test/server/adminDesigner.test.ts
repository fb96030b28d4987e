import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { SPAWN_EXAMPLE } from '../../client/spawnExample.ts';
import { cli } from '../tools/runCli.ts';
import { idList } from '../../server/admin/spawnSummary.ts';
import { join, serverRoom, startTestServer, waitFor } from '../rooms/serverHarness.ts';
import type { RunningServer } from '../../server/index.ts';

const TOKEN = 'test-admin-token-designer-0123';

describe('the admin API for the designer panel', () => {
  let server: RunningServer & { url: string };
  let http: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(http + path, { method, headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: TOKEN });
    http = server.url.replace('ws://', 'http://');
  });
  afterAll(async () => server?.close());

  it('accepts the spawn box\'s example as it is, and says in words what it spawned', async () => {
    const a = await join(server.url, { name: 'designer' }, 'new');
    try {
      const roomId = a.room.roomId;
      const res = await call('POST', `/admin/rooms/${roomId}/spawn?x=10&y=-4`, SPAWN_EXAMPLE);
      expect(res.status).toBe(200);
      const ids = res.body.spawned as number[];
      expect(ids).toHaveLength(4);
      const wolves = ids.slice(0, 3);
      expect(res.body.message).toBe(`Spawned 3 wolves (${idList(wolves)}) and Lute the bard (#${ids[3]}) near (10, -4)`);
      expect(res.body.message).toMatch(/^Spawned 3 wolves \(#\d+–#\d+\) and Lute the bard \(#\d+\) near \(10, -4\)$/);
      // The wrong hint the box used to show is refused with the server's words.
      const wrong = await call('POST', `/admin/rooms/${roomId}/spawn`, { spawn: [] });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatch(/spawn/);
    } finally {
      await a.room.leave();
    }
  });

  it('serves an actor\'s inspection as readable sections whose tick follows the room', async () => {
    const a = await join(server.url, { name: 'watcher' }, 'new');
    try {
      const roomId = a.room.roomId;
      const room = serverRoom(roomId);
      const avatar = await waitFor('avatar', () => a.avatar());
      const me = room.sim.world.actors.get(avatar)!.body!;
      const res = await call('POST', `/admin/rooms/${roomId}/spawn?x=${me.x}&y=${me.y}`, SPAWN_EXAMPLE);
      const wolf = (res.body.spawned as number[])[0]!;
      await waitFor('a judged decision of the wolf', () => room.decisions.of(wolf).some((d) => d.port === 'think' && d.followed !== null), 10_000);
      const first = await call('GET', `/admin/rooms/${roomId}/actors/${wolf}`);
      const s = first.body.actor.sections;
      expect(Object.keys(s)).toEqual(['summary', 'state', 'orderAndPlan', 'decisions', 'memory', 'persona', 'failures']);
      expect(s.summary).toMatchObject({ id: wolf, kind: 'monster', species: 'wolf', tick: expect.any(Number) });
      expect(s.summary.pack).toMatch(/^.+'s wolves$/);
      expect(s.summary.where.words).toMatch(/tiles .* of the centre|centre of the world/);
      const think = s.decisions.find((d: { kind: string; followed: boolean | null }) => d.kind === 'think' && d.followed !== null);
      expect(think).toMatchObject({ tick: expect.any(Number), decided: expect.any(String), reason: expect.stringMatching(/it saw: /), outcome: expect.any(String) });
      expect(JSON.stringify(s)).not.toMatch(/\d\.\d{4,}|a\d+:wolves/);
      await new Promise((r) => setTimeout(r, 300));
      const second = await call('GET', `/admin/rooms/${roomId}/actors/${wolf}`);
      expect(second.body.actor.sections.summary.tick).toBeGreaterThan(s.summary.tick);
    } finally {
      await a.room.leave();
    }
  });

  it('the CLI spawns in words and prints an inspection as sections, not JSON', async () => {
    const a = await join(server.url, { name: 'cli' }, 'new');
    const before = process.env.ADMIN_TOKEN;
    process.env.ADMIN_TOKEN = TOKEN;
    try {
      const roomId = a.room.roomId;
      const file = joinPath(mkdtempSync(joinPath(tmpdir(), 'lairmind-spawn-')), 'wolves.json');
      writeFileSync(file, JSON.stringify(SPAWN_EXAMPLE));
      const spawned = await cli('spawn', '--url', http, '--room', roomId, '--at', '20,5', file);
      expect(spawned.err).toBe('');
      expect(spawned.out).toMatch(/^Spawned 3 wolves \(#(\d+)–#\d+\) and Lute the bard \(#\d+\) near \(20, 5\) into room /);
      const wolf = /#(\d+)–/.exec(spawned.out)![1]!;
      const text = await cli('inspect', '--url', http, '--room', roomId, '--actor', wolf);
      expect(text.err).toBe('');
      expect(text.code).toBe(0);
      expect(text.out).toMatch(new RegExp(`^.+ \\(#${wolf}\\) · monster, wolf · hp `));
      for (const heading of ['State', 'Order and plan', 'Recent decisions', 'Memory', 'Persona', 'Failures']) expect(text.out).toContain(`\n${heading}\n`);
      expect(text.out).not.toContain('{');
      const json = await cli('inspect', '--url', http, '--room', roomId, '--actor', wolf, '--json');
      expect(JSON.parse(json.out).actor.sections.summary.id).toBe(Number(wolf));
    } finally {
      if (before === undefined) delete process.env.ADMIN_TOKEN;
      else process.env.ADMIN_TOKEN = before;
      await a.room.leave();
    }
  });

  it('explains a bad step or create request: the path, the bad value and what was expected', async () => {
    const a = await join(server.url, { name: 'stepper' }, 'new');
    try {
      const step = await call('POST', `/admin/rooms/${a.room.roomId}/step`, { tick: 3 });
      expect(step.status).toBe(400);
      expect(step.body.error).toMatch(/tick: unknown key; did you mean "ticks"\?/);
      const create = await call('POST', '/admin/rooms', { scenari: 'goblin-lair' });
      expect(create.status).toBe(400);
      expect(create.body.error).toMatch(/did you mean "scenario"\?/);
    } finally {
      await a.room.leave();
    }
  });
});
