import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { join, startTestServer, waitFor } from './serverHarness.ts';

const TOKEN = 'a-very-secret-admin-token-123';
let server: RunningServer & { url: string };
let http: string;

beforeAll(async () => {
  server = await startTestServer({ ADMIN_TOKEN: TOKEN, TRANSPORT: 'ws' });
  http = server.url.replace('ws://', 'http://');
});
afterAll(async () => {
  await server?.close();
});

describe('HTTP endpoints (ws transport)', () => {
  it('selects the ws transport when asked', () => {
    expect(server.transport).toMatchObject({ kind: 'ws', native: false });
  });

  it('/health reports each component', async () => {
    const res = await fetch(`${http}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, { status: string; kind?: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.components).sort()).toEqual(['driver', 'llm', 'minds', 'presence', 'snapshots', 'transport']);
    expect(body.components.snapshots).toMatchObject({ status: 'ok', store: 'sqlite' });
    expect(body.components.transport).toMatchObject({ status: 'ok', kind: 'ws' });
    expect(body.components.presence).toMatchObject({ status: 'ok', kind: 'local' });
  });

  it('/metrics exposes rooms, clients, tick durations, bytes, actors and queue depth, and no secret', async () => {
    const a = await join(server.url, { name: 'metrics' });
    await waitFor('avatar', () => a.avatar());
    a.room.send('move', { dir: { x: 5, y: 0 } }); // refused: counted
    await waitFor('error', () => a.mirror.errors.length);
    await new Promise((r) => setTimeout(r, 200));
    const text = await (await fetch(`${http}/metrics`)).text();
    for (const name of ['lairmind_rooms 1', 'lairmind_clients 1', 'lairmind_tick_duration_seconds_bucket', 'lairmind_patch_bytes_total', 'lairmind_actors{kind="monster"', 'lairmind_actors{kind="player"', 'lairmind_mind_queue_depth', 'lairmind_minds_active{level="awake"}', 'lairmind_minds_active{level="far"}', 'lairmind_refused_client_messages_total{reason="invalid"} 1', 'lairmind_process_resident_memory_bytes', 'lairmind_process_cpu_seconds_total']) {
      expect(text, name).toContain(name);
    }
    expect(Number(/lairmind_patch_bytes_total (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).not.toContain(TOKEN);
    await a.room.leave();
  });

  it('the monitor needs the admin token', async () => {
    expect((await fetch(`${http}/colyseus/`)).status).toBe(401);
    expect((await fetch(`${http}/colyseus/`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await fetch(`${http}/colyseus/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    const basic = await fetch(`${http}/colyseus/api`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
  });
});
