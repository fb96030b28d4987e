import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@colyseus/sdk';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { freePort, track, waitFor } from '../rooms/serverHarness.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SECRET = 'process-test-secret-0123456789-abcdefgh';
const ADMIN = 'admin-token-for-identity-tests';
/** Colyseus' ErrorCode.AUTH_FAILED. */
const AUTH_FAILED = 525;

/** A token signed with `secret`, as a client might bring it. */
function sign(claims: { sub: string; tier: string }, expSeconds: number, secret = SECRET, iss = 'lairmind'): Promise<string> {
  return new SignJWT({ tier: claims.tier }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer(iss).setIssuedAt().setExpirationTime(expSeconds).sign(new TextEncoder().encode(secret));
}

/** Join (create) a world room with `token` as the SDK's auth token; the refusal when refused. */
async function joinWith(server: ServerProcess, token: string | undefined) {
  const client = new Client(server.url);
  if (token !== undefined) client.auth.token = token;
  try {
    return { joined: track(await client.create('world', { name: 'tester' })), refused: null };
  } catch (err) {
    return { joined: null, refused: err as { code: number; message: string } };
  }
}

function issue(server: ServerProcess, body: unknown, admin = ADMIN) {
  return fetch(`http://127.0.0.1:${server.port}/admin/players/tokens`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { token?: string; expiresAt?: string; error?: string; issues?: { path: string; message: string }[] } }));
}

const now = () => Math.floor(Date.now() / 1000);

/** Run `lairmind ARGS` (asynchronously: this process keeps serving its sockets meanwhile). */
function lairmind(args: string[], env: Record<string, string | undefined>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/lairmind.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('player tokens at join (server in its own process, auth on)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ AUTH_SECRET: SECRET, ADMIN_TOKEN: ADMIN, MATCHMAKE_LOOPBACK: 'exempt', WORLD_SIZE: '64', MONSTER_DENSITY: '0', SEED: 'identity', LOG_LEVEL: 'info' }, { captureLogs: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a forged, an expired, a foreign and a wrong-tier token are refused at join with the reason the client sees', async () => {
    const cases: [string, Promise<string>, RegExp][] = [
      ['forged', sign({ sub: 'mallory', tier: 'whale' }, now() + 600, 'not-the-servers-secret-but-long-enough!!'), /^player token: signature does not verify/],
      ['expired', sign({ sub: 'alice', tier: 'premium' }, now() - 60), /^player token: expired at \d{4}-\d\d-\d\dT.*; ask for a new one$/],
      ['wrong issuer', sign({ sub: 'alice', tier: 'premium' }, now() + 600, SECRET, 'elsewhere'), /^player token: issuer "elsewhere" is not this server's \("lairmind"\)$/],
      ['unknown tier', sign({ sub: 'alice', tier: 'gold' }, now() + 600), /^player token: tier "gold" is not defined on this server \(tiers: free, premium, whale\)$/],
      ['malformed', Promise.resolve('not-a-token'), /^player token: malformed/],
    ];
    for (const [what, token, reason] of cases) {
      const { joined, refused } = await joinWith(server, await token);
      expect(joined, what).toBeNull();
      expect(refused?.code, what).toBe(AUTH_FAILED);
      expect(refused?.message, what).toMatch(reason);
    }
  });

  it('the admin API issues a token that joins on its tier; bad requests get 400 naming the field, no admin token 401', async () => {
    const ok = await issue(server, { player: 'alice', tier: 'premium', ttlSeconds: 600 });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['expiresAt', 'token']);
    expect(Date.parse(ok.body.expiresAt!) / 1000).toBeGreaterThan(now() + 590);
    expect(Date.parse(ok.body.expiresAt!) / 1000).toBeLessThanOrEqual(now() + 601);
    const { joined, refused } = await joinWith(server, ok.body.token);
    expect(refused).toBeNull();
    const players = () => (joined!.room.state as { players?: Map<string, { tier: string }> }).players;
    await waitFor('own tier in the state', () => players()?.get(joined!.room.sessionId)?.tier === 'premium');
    await joined!.room.leave();

    const bad = await issue(server, { player: 'bob', tier: 'gold', ttlSeconds: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path).sort()).toEqual(['tier', 'ttlSeconds']);
    expect(bad.body.error).toMatch(/tier: "gold" is not a tier this server defines/);
    expect((await issue(server, { player: 'bob', tier: 'free' }, 'wrong-admin-token-xxxxxxxx')).status).toBe(401);
  });

  it('`lairmind token` signs a token with AUTH_SECRET that joins on its tier; bad flags are named', async () => {
    const cli = (args: string[], env: Record<string, string | undefined>) => lairmind(['token', ...args], { AUTH_SECRET: undefined, ...env });
    const [r, bad, off] = await Promise.all([
      cli(['--player', 'carol', '--tier', 'whale', '--ttl', '120', '--name', 'Carol'], { AUTH_SECRET: SECRET }),
      cli(['--player', 'carol', '--tier', 'gold', '--ttl', '9999999'], { AUTH_SECRET: SECRET }),
      cli(['--player', 'carol', '--tier', 'whale'], {}),
    ]);
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    expect(r.stderr).toMatch(/^token for carol \(whale\), expires at \d{4}-/m);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'carol', tier: 'whale', name: 'Carol', iss: 'lairmind' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--tier: "gold" is not a tier this server defines.*--ttl: /);
    expect(off.status).toBe(1);
    expect(off.stderr).toMatch(/AUTH_SECRET is not set/);
    const { joined, refused } = await joinWith(server, token);
    expect(refused).toBeNull();
    const players = () => (joined!.room.state as { players?: Map<string, { tier: string; name: string }> }).players;
    await waitFor('carol on whale', () => players()?.get(joined!.room.sessionId)?.tier === 'whale' && players()?.get(joined!.room.sessionId)?.name === 'Carol');
    await joined!.room.leave();
  }, 60_000);

  it('a join without a token is a guest on the free tier; the secret never reaches the log', async () => {
    const { joined } = await joinWith(server, undefined);
    const players = () => (joined!.room.state as { players?: Map<string, { tier: string }> }).players;
    await waitFor('guest tier in the state', () => players()?.get(joined!.room.sessionId)?.tier === 'free');
    await joined!.room.leave();
    const log = server.logs.join('\n');
    expect(log).toMatch(/identity: player tokens verified \(HS256\); joins without a token are guests on the free tier/);
    expect(log).not.toContain(SECRET);
  });
});

describe('player tokens with auth off (server in its own process)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ ADMIN_TOKEN: ADMIN, MATCHMAKE_LOOPBACK: 'exempt', WORLD_SIZE: '64', MONSTER_DENSITY: '0', SEED: 'identity', LOG_LEVEL: 'info' }, { captureLogs: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a join that sends a token is refused (it cannot be checked); without one it is a guest; the log says how to turn auth on', async () => {
    const { refused } = await joinWith(server, await sign({ sub: 'alice', tier: 'whale' }, now() + 600));
    expect(refused?.code).toBe(AUTH_FAILED);
    expect(refused?.message).toMatch(/^player token: this server does not check player tokens \(auth is off: AUTH_SECRET is not set\)/);
    const { joined } = await joinWith(server, undefined);
    const players = () => (joined!.room.state as { players?: Map<string, { tier: string }> }).players;
    await waitFor('guest tier in the state', () => players()?.get(joined!.room.sessionId)?.tier === 'free');
    await joined!.room.leave();
    const lines = server.logs.filter((l) => l.includes('identity: auth off'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/everyone joins as a guest on the free tier; set AUTH_SECRET \(32\+ bytes\)/);
  });

  it('the admin token endpoint answers 503 saying how to turn tokens on', async () => {
    const r = await issue(server, { player: 'alice', tier: 'premium' });
    expect(r.status).toBe(503);
    expect(r.body.error).toBe('player tokens are off: set AUTH_SECRET (32+ bytes) on the server to issue and verify them');
  });
});

describe('a bad AUTH_SECRET', () => {
  it('`lairmind serve` refuses to start, with the reason and without the secret', async () => {
    const port = await freePort();
    const r = await lairmind(['serve'], { AUTH_SECRET: 'tooshort-secret', PORT: String(port), LOG_LEVEL: 'info' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^lairmind: invalid environment: AUTH_SECRET: must be at least 32 bytes/m);
    expect(r.stdout + r.stderr).not.toContain('tooshort-secret');
  }, 90_000);
});
