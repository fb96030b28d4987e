import { Client } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { join, serverRoom, startTestServer, track, waitFor } from './serverHarness.ts';

let server: RunningServer & { url: string };

beforeAll(async () => {
  // Room options come from the server's settings (they win over a creating client's): a short grace period.
  server = await startTestServer({ RECONNECT_SECONDS: '2' });
});
afterAll(async () => {
  await server?.close();
});

describe('reconnection', () => {
  it('within the grace period: same session, same avatar, waiting where it stood', async () => {
    const a = await join(server.url, { name: 'dropper' }, 'new');
    await waitFor('avatar', () => a.avatar());
    const avatar = a.avatar();
    const room = serverRoom(a.room.roomId);
    a.room.send('move', { dir: { x: 1, y: 0 } });
    await waitFor('walking', () => room.sim.world.actors.get(avatar)!.body!.vx > 0);
    const token = a.room.reconnectionToken;
    const sessionId = a.room.sessionId;
    await a.room.leave(false); // not consented: a dropped connection
    await waitFor('marked disconnected', () => room.state.players.get(sessionId)?.connected === false);
    await waitFor('avatar stopped', () => room.sim.world.actors.get(avatar)!.body!.vx === 0);
    const stoppedAt = room.sim.world.actors.get(avatar)!.body!.x;

    const again = track(await new Client(server.url).reconnect(token));
    expect(again.room.sessionId).toBe(sessionId);
    await waitFor('own avatar visible again', () => again.mirror.entities.get(String(avatar)));
    expect(again.avatar()).toBe(avatar);
    expect(room.state.players.get(sessionId)?.connected).toBe(true);
    expect(room.sim.world.actors.get(avatar)!.body!.x).toBeCloseTo(stoppedAt, 5);
    await again.room.leave();
  });

  it('after the grace period: the seat is gone and the avatar removed', async () => {
    const a = await join(server.url, { name: 'late' }, 'new');
    await waitFor('avatar', () => a.avatar());
    const avatar = a.avatar();
    const room = serverRoom(a.room.roomId);
    const stay = await join(server.url, { name: 'stays' }, a.room.roomId); // keeps the room alive
    const token = a.room.reconnectionToken;
    const sessionId = a.room.sessionId;
    await a.room.leave(false);
    await waitFor('avatar removed', () => !room.sim.world.actors.has(avatar), 6000);
    expect(room.state.players.has(sessionId)).toBe(false);
    await expect(new Client(server.url).reconnect(token)).rejects.toThrow();
    await stay.room.leave();
  });
});
