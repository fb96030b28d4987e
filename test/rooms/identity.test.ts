import { tempDataDir } from '../../tools/tempDataDir.ts';
import { Client } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mind, MindRequest, PlanRequest } from '../../actors/index.ts';
import { createLogger, loadConfig, PlayerTokens, startServer } from '../../server/index.ts';
import type { RunningServer } from '../../server/index.ts';
import { wolf } from '../actors/coordinator/helpers.ts';
import { freePort, serverRoom, track, waitFor } from './serverHarness.ts';
import type { Joined } from './serverHarness.ts';

const SECRET = 'room-test-secret-0123456789-0123456789';

/** A `plan` mind that records what it is asked and declines (the tactician's plan stays). */
class RecordingPlanner implements Mind {
  readonly asked: PlanRequest[] = [];
  serve(requests: readonly MindRequest[]) {
    this.asked.push(...requests.map((r) => r.payload as PlanRequest));
    return Promise.resolve(requests.map((r) => ({ requestId: r.requestId, ok: false as const, error: 'declined by the test' })));
  }
}

type Players = Map<string, { actor: number; tier: string }>;

describe('identities in the world room (in-process server, SDK clients)', () => {
  let server: RunningServer;
  let url: string;
  const planner = new RecordingPlanner();
  const tokens = new PlayerTokens({ secret: SECRET, tiers: ['free', 'premium', 'whale'] });

  beforeAll(async () => {
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), LOG_LEVEL: 'silent', WORLD_SIZE: '64', MONSTER_DENSITY: '0', SEED: 'identity', PLAYER_SPAWNS: 'gather', MATCHMAKE_LOOPBACK: 'exempt', RECONNECT_SECONDS: '5', AUTH_SECRET: SECRET, DATA_DIR: tempDataDir('test') });
    server = await startServer(config, { logger: createLogger('silent'), minds: { plan: planner } });
    url = `ws://127.0.0.1:${port}`;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  async function joinAs(token: string | undefined, name: string, roomId?: string): Promise<Joined> {
    const client = new Client(url);
    if (token) client.auth.token = token;
    return track(roomId ? await client.joinById(roomId, { name }) : await client.create('world', { name }));
  }

  it('a token\'s player and tier tag the avatar, reach the plan request as payers (nearest first, guests too), and survive a reconnection', async () => {
    const { token } = await tokens.issue({ player: 'alice', tier: 'premium' });
    const alice = await joinAs(token, 'alice');
    const guest = await joinAs(undefined, 'visitor', alice.room.roomId);
    const room = serverRoom(alice.room.roomId);
    const a = await waitFor('alice\'s avatar', () => alice.avatar());
    const g = await waitFor('the guest\'s avatar', () => guest.avatar());

    expect(room.sim.world.actors.get(a)!.tags).toMatchObject({ name: 'alice', account: 'alice', tier: 'premium' });
    expect(room.sim.world.actors.get(g)!.tags).toMatchObject({ name: 'visitor', account: `guest:${guest.room.sessionId}`, tier: 'free' });
    // Clients see the tiers in the player list.
    const players = () => (alice.room.state as { players?: Players }).players;
    await waitFor('tiers in the state', () => players()?.get(alice.room.sessionId)?.tier === 'premium' && players()?.get(guest.room.sessionId)?.tier === 'free');

    // A pack right by Alice; the guest a few tiles further off, still in the fight.
    const ab = room.sim.world.actors.get(a)!.body!;
    const gb = room.sim.world.actors.get(g)!.body!;
    gb.x = ab.x + 8;
    gb.y = ab.y;
    await room.spawnInputs([wolf(ab.x - 2, ab.y, 'p1'), wolf(ab.x - 2, ab.y + 1, 'p1'), wolf(ab.x - 3, ab.y - 1, 'p1')]);
    const ask = await waitFor('a plan request', () => planner.asked.find((r) => r.payers?.length === 2), 10_000);
    expect(ask.payers).toEqual([{ account: 'alice', tier: 'premium' }, { account: `guest:${guest.room.sessionId}`, tier: 'free' }]);

    // Dropped and back (the reconnecting client sends no token): still Alice on premium.
    const sessionId = alice.room.sessionId;
    const reconnectionToken = alice.room.reconnectionToken;
    await alice.room.leave(false);
    await waitFor('alice marked away', () => (guest.room.state as { players?: Map<string, { connected: boolean }> }).players?.get(sessionId)?.connected === false);
    const again = track(await new Client(url).reconnect(reconnectionToken));
    expect(again.room.sessionId).toBe(sessionId);
    expect(room.identityOf(sessionId)).toEqual({ account: 'alice', tier: 'premium', guest: false });
    expect(room.sim.world.actors.get(a)!.tags).toMatchObject({ account: 'alice', tier: 'premium' });
    await again.room.leave();
    await guest.room.leave();
  }, 30_000);

  it('a token\'s name is the player\'s name; the join option cannot replace it', async () => {
    const { token } = await tokens.issue({ player: 'bob-7', tier: 'whale', name: 'Bob' });
    const bob = await joinAs(token, 'Mallory');
    const room = serverRoom(bob.room.roomId);
    const avatar = await waitFor('bob\'s avatar', () => bob.avatar());
    expect(room.sim.world.actors.get(avatar)!.tags).toMatchObject({ name: 'Bob', account: 'bob-7', tier: 'whale' });
    expect(room.identityOf(bob.room.sessionId)).toEqual({ account: 'bob-7', tier: 'whale', guest: false, name: 'Bob' });
    await bob.room.leave();
  });
});
