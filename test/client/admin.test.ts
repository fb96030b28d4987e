import { describe, expect, it } from 'vitest';
import { errorText, inspectActor, parseScenarioText, spawnScenario } from '../../client/admin.ts';
import type { Fetch } from '../../client/admin.ts';

function fakeFetch(status: number, body: string): { fetch: Fetch; calls: { url: string; init: Parameters<Fetch>[1] }[] } {
  const calls: { url: string; init: Parameters<Fetch>[1] }[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return { ok: status >= 200 && status < 300, status, statusText: status === 401 ? 'Unauthorized' : '', text: async () => body };
    },
  };
}

describe('admin calls from the designer panel', () => {
  it('posts the scenario to the room\'s spawn route with the bearer token', async () => {
    const f = fakeFetch(200, '{"spawned": 3}');
    const r = await spawnScenario(f.fetch, 'http://host:2567/', ' tok-123 ', 'room/1', '{"spawn": [{"kind": "monster"}]}');
    expect(r).toEqual({ ok: true, status: 200, body: { spawned: 3 } });
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.url).toBe('http://host:2567/admin/rooms/room%2F1/spawn');
    expect(f.calls[0]!.init.method).toBe('POST');
    expect(f.calls[0]!.init.headers.Authorization).toBe('Bearer tok-123');
    expect(JSON.parse(f.calls[0]!.init.body!)).toEqual({ spawn: [{ kind: 'monster' }] });
  });

  it('shows the server\'s error text when the call fails', async () => {
    const f = fakeFetch(400, '{"error": "invalid scenario: spawn.0.kind: Required"}');
    const r = await spawnScenario(f.fetch, 'http://h', 'tok', 'r1', '{}');
    expect(r).toEqual({ ok: false, status: 400, error: '400: invalid scenario: spawn.0.kind: Required' });
    const g = fakeFetch(401, 'missing or wrong admin token');
    expect(await spawnScenario(g.fetch, 'http://h', 'tok', 'r1', '{}')).toMatchObject({ ok: false, error: '401 Unauthorized: missing or wrong admin token' });
  });

  it('refuses before calling when the token, the room or the JSON is missing', async () => {
    const f = fakeFetch(200, '');
    expect(await spawnScenario(f.fetch, 'http://h', '  ', 'r', '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/admin token/) });
    expect(await spawnScenario(f.fetch, 'http://h', 't', '', '{}')).toMatchObject({ ok: false, error: expect.stringMatching(/room/) });
    expect(await spawnScenario(f.fetch, 'http://h', 't', 'r', '{oops')).toMatchObject({ ok: false, error: expect.stringMatching(/scenario: not valid JSON/) });
    expect(f.calls).toHaveLength(0);
  });

  it('reports an unreachable server, never echoing the token', async () => {
    const r = await inspectActor(async () => {
      throw new Error('Failed to fetch');
    }, 'http://h', 'secret-token-value', 'r', 5);
    expect(r).toEqual({ ok: false, status: 0, error: 'could not reach the server: Failed to fetch' });
  });

  it('formats error bodies', () => {
    expect(errorText(500, '', '{"error": {"message": "boom"}}')).toBe('500: boom');
    expect(errorText(404, 'Not Found', '')).toBe('404 Not Found');
    expect(errorText(502, '', 'x'.repeat(600))).toHaveLength(5 + 500 + 1);
    expect(parseScenarioText('')).toMatchObject({ ok: false });
  });
});
