import { Client } from '@colyseus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { join, track, waitFor } from './serverHarness.ts';

// The server runs in its own process, as `npm start` runs it, on both transports: nothing this test process
// defines (a global WebSocket, say) can make reconnection pass where it fails for users.
for (const transport of ['uws', 'ws'] as const) {
  describe(`reconnection (${transport}, server in its own process)`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({ TRANSPORT: transport, RECONNECT_SECONDS: '2', WORLD_SIZE: '128', SEED: 'reconnect', PLAYER_SPAWNS: 'gather', LOG_LEVEL: 'error', MATCHMAKE_LOOPBACK: 'exempt' });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('within the grace period: same session, same avatar, waiting where it stood', async () => {
      const a = await join(server.url, { name: 'dropper' }, 'new');
      await waitFor('avatar', () => a.avatar());
      const avatar = String(a.avatar());
      a.room.send('move', { dir: { x: 1, y: 0 } });
      const startX = (await waitFor('own entity', () => a.mirror.entities.get(avatar))).x;
      await waitFor('walking', () => (a.mirror.entities.get(avatar)?.x ?? startX) > startX + 0.5);
      const token = a.room.reconnectionToken;
      const sessionId = a.room.sessionId;
      const roomId = a.room.roomId;
      const watcher = await join(server.url, { name: 'watcher' }, roomId);
      await a.room.leave(false); // not consented: a dropped connection
      const players = () => (watcher.room.state as { players: Map<string, { connected: boolean }> }).players;
      await waitFor('marked disconnected', () => players().get(sessionId)?.connected === false);

      const again = track(await new Client(server.url).reconnect(token));
      expect(again.room.sessionId).toBe(sessionId);
      expect(again.room.roomId).toBe(roomId);
      await waitFor('own avatar visible again', () => again.mirror.entities.get(avatar));
      expect(String(again.avatar())).toBe(avatar);
      await waitFor('marked connected', () => players().get(sessionId)?.connected === true);
      // It stood still while away: the first position seen after reconnecting stays put.
      const x = again.mirror.entities.get(avatar)!.x;
      await new Promise((r) => setTimeout(r, 300));
      expect(again.mirror.entities.get(avatar)!.x).toBeCloseTo(x, 3);
      expect(again.mirror.leftCode).toBeNull();
      await again.room.leave();
      await watcher.room.leave();
    });

    it('after the grace period: the seat is gone and the avatar removed', async () => {
      const a = await join(server.url, { name: 'late' }, 'new');
      await waitFor('avatar', () => a.avatar());
      const avatar = String(a.avatar());
      const stay = await join(server.url, { name: 'stays' }, a.room.roomId); // keeps the room alive, and watches
      const token = a.room.reconnectionToken;
      const sessionId = a.room.sessionId;
      const players = () => (stay.room.state as { players: Map<string, unknown> }).players;
      await waitFor('the other player sees the late one', () => players()?.has(sessionId) && stay.mirror.entities.has(avatar));
      await a.room.leave(false);
      await waitFor('avatar removed', () => !stay.mirror.entities.has(avatar), 6000);
      expect(players().has(sessionId)).toBe(false);
      await expect(new Client(server.url).reconnect(token)).rejects.toThrow();
      await stay.room.leave();
    });
  });
}
