import { request } from 'node:http';
import { Client } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { join, track, waitFor } from '../rooms/serverHarness.ts';

interface Answer {
  readonly status: number;
  readonly body: { code?: number; error?: string; roomId?: string };
  readonly retryAfter: string | undefined;
  readonly ms: number;
}

/**
 * `POST /matchmake/<path>` with a raw body, from `from` (a loopback address of this machine: 127.0.0.1 is where
 * the SDK's requests come from, so other addresses stand for other clients).
 */
function matchmake(port: number, path: string, body: string, from: string, contentType = 'application/json'): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/matchmake/${path}`, method: 'POST', localAddress: from, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }, timeout: 20_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Answer['body']) : {}, retryAfter: res.headers['retry-after'] as string | undefined, ms: performance.now() - t0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('matchmaking request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function nested(depth: number): string {
  let doc = '"deep"';
  for (let i = 0; i < depth; i++) doc = `{"a":${doc}}`;
  return `{"name":${doc}}`;
}

// Each transport in its own server process, with the matchmaking limits applying to this machine too (they spare
// loopback by default, for load tests).
for (const transport of ['uws', 'ws'] as const) {
  describe(`matchmaking guard (${transport}, server in its own process)`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({ TRANSPORT: transport, MATCHMAKE_LOOPBACK: 'limited', WORLD_SIZE: '64', SEED: 'matchmake', LOG_LEVEL: 'error' });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('199 joinById at once from one address reserve a few seats, not the room: a real player joins right after', async () => {
      const owner = await join(server.url, { name: 'owner' }, 'new');
      const roomId = owner.room.roomId;
      const answers = await Promise.all(Array.from({ length: 199 }, () => matchmake(server.port, `joinById/${roomId}`, '{}', '127.0.0.2')));
      const granted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(granted.length).toBeGreaterThan(0);
      expect(granted.length).toBeLessThanOrEqual(4);
      expect(refused.length).toBe(199 - granted.length);
      expect(refused.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
      expect(refused.map((a) => a.body.error).join('\n')).toMatch(/seats reserved for your address|too many matchmaking requests/);
      // The phantom seats still wait for their clients, and yet:
      const real = await join(server.url, { name: 'real' }, roomId);
      expect(real.room.roomId).toBe(roomId);
      await real.room.leave();
      await owner.room.leave();
    });

    it('options a player may not set get 400 naming the key, through the SDK as well', async () => {
      const sdk = new Client(server.url);
      for (const [options, re] of [
        [{ hasOwnProperty: 1 }, /room option "hasOwnProperty" is not a room option; a player may set only name, scenario/],
        [{ maxClients: 3 }, /room option "maxClients" is set by the server/],
        [{ name: 42 }, /options\.name/],
      ] as const) {
        const err = await sdk.joinOrCreate('world', options).then(() => null, (e: unknown) => e as { code: number; message: string });
        expect(err, JSON.stringify(options)).not.toBeNull();
        expect(err!.code).toBe(400);
        expect(err!.message).toMatch(re);
      }
    });

    it('prototype keys, deep nesting, huge and non-JSON bodies are refused at once with the reason', async () => {
      const cases: [string, string, number, RegExp, string?][] = [
        ['create/world', '{"__proto__": {"maxClients": 1}}', 400, /key "__proto__" is not allowed/],
        ['create/world', '{"name": "x", "constructor": {"prototype": {}}}', 400, /key "constructor" is not allowed/],
        ['joinOrCreate/world', nested(12), 400, /nested deeper than 4 levels/],
        ['joinOrCreate/world', JSON.stringify({ name: 'x'.repeat(5000) }), 413, /over the limit of 4096 bytes/],
        ['joinOrCreate/world', JSON.stringify({ name: 'x'.repeat(100_000) }), 413, /over the limit/],
        ['joinOrCreate/world', '{"name": ', 400, /not valid JSON/],
        ['joinOrCreate/world', '[]', 400, /must be a JSON object/],
        ['joinOrCreate/world', 'name=x', 415, /must be JSON/, 'application/x-www-form-urlencoded'],
        ['reconnect/abc', '{"reconnectionToken": "t", "name": "x"}', 400, /reconnect takes only reconnectionToken/],
      ];
      for (const [i, [path, body, status, re, type]] of cases.entries()) {
        const a = await matchmake(server.port, path, body, `127.0.1.${i + 1}`, type);
        expect(a.status, `${body.slice(0, 40)}: ${JSON.stringify(a.body)}`).toBe(status);
        expect(a.body.error).toMatch(re);
        expect(a.ms).toBeLessThan(2000);
      }
    });

    it('a burst of requests from one address is limited with 429 and Retry-After; a create costs five', async () => {
      // Bad options, so that no world is built: the rate is counted before the options are read.
      const creates = [];
      for (let i = 0; i < 5; i++) creates.push(await matchmake(server.port, 'create/world', '{"bogus": 1}', '127.0.2.1'));
      expect(creates.slice(0, 4).map((a) => a.status)).toEqual([400, 400, 400, 400]);
      expect(creates[4]!.status).toBe(429);
      expect(creates[4]!.body.error).toMatch(/too many matchmaking requests from your address/);
      expect(Number(creates[4]!.retryAfter)).toBeGreaterThanOrEqual(1);
      // Another address is not affected.
      expect((await matchmake(server.port, 'create/world', '{"bogus": 1}', '127.0.2.2')).status).toBe(400);
    });

    it('a seat stops counting once its client connects: one address joins again and again', async () => {
      const owner = await join(server.url, { name: 'owner' }, 'new');
      // Six seats in a row from 127.0.0.1, more than the four an address may hold untaken.
      for (let i = 0; i < 6; i++) {
        const j = track(await new Client(server.url).joinById(owner.room.roomId, { name: `again-${i}` }));
        await waitFor('joined', () => j.room.sessionId);
        await j.room.leave();
      }
      await owner.room.leave();
    });
  });
}
