// VIEW_SHARING=client keeps a StateView per client (for comparison with cell sharing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, serverRoom, startTestServer, waitFor } from './serverHarness.ts';
import { marker, named, put, spotInCell } from './cellSpots.ts';

describe('per-client views in a room (VIEW_SHARING=client)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ MONSTER_DENSITY: '0', VIEW_SHARING: 'client' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('two clients side by side each have a view of their own, and both receive what is near', async () => {
    const a = await join(server.url, { name: 'alice' }, 'new');
    await waitFor('alice spawned', () => a.avatar() && a.mirror.entities.has(String(a.avatar())));
    const b = await join(server.url, { name: 'bob' }, a.room.roomId);
    await waitFor('bob spawned', () => b.avatar() && b.mirror.entities.has(String(b.avatar())));
    const room = serverRoom(a.room.roomId);
    expect(room.interest.sharing).toBe('client');
    const size = room.config.viewRadius;
    const pa = spotInCell(room, 1, 1, size);
    const pb = spotInCell(room, 1, 1, size, [pa]);
    put(room, a.avatar(), pa);
    put(room, b.avatar(), pb);
    marker(room, spotInCell(room, 1, 1, size, [pa, pb]), 'Cellstone');
    await waitFor('both receive the marker', () => named(a, 'Cellstone') && named(b, 'Cellstone'));
    const va = room.clients.getById(a.room.sessionId)?.view, vb = room.clients.getById(b.room.sessionId)?.view;
    expect(va).toBeDefined();
    expect(va).not.toBe(vb);
    expect(room.interest.size).toBe(2);
    await a.room.leave();
    await b.room.leave();
  });
});
