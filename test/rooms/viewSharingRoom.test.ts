// Shared views in a real room over the real transport (server in this process, SDK clients): the clients whose
// avatars are in one cell are given one StateView object, and a client that walks to another cell is given that
// cell's view and keeps receiving what is around it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellAt } from '../../rooms/index.ts';
import { join, serverRoom, startTestServer, waitFor } from './serverHarness.ts';
import type { Joined } from './serverHarness.ts';
import { marker, named, put, spotInCell } from './cellSpots.ts';

describe('shared views in a room (VIEW_SHARING=cell, the default)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ MONSTER_DENSITY: '0' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('two clients in one cell share one view object and both receive its entities; one walks to another cell and switches view', async () => {
    const a = await join(server.url, { name: 'alice' }, 'new');
    await waitFor('alice spawned', () => a.avatar() && a.mirror.entities.has(String(a.avatar())));
    const b = await join(server.url, { name: 'bob' }, a.room.roomId);
    await waitFor('bob spawned', () => b.avatar() && b.mirror.entities.has(String(b.avatar())));
    const room = serverRoom(a.room.roomId);
    const size = room.config.viewRadius;
    const viewOf = (j: Joined) => room.clients.getById(j.room.sessionId)?.view;
    // Both into cell (1, 1).
    const pa = spotInCell(room, 1, 1, size);
    const pb = spotInCell(room, 1, 1, size, [pa]);
    put(room, a.avatar(), pa);
    put(room, b.avatar(), pb);
    await waitFor('one view object for both', () => viewOf(a) && viewOf(a) === viewOf(b));
    expect(room.interest.settled(a.room.sessionId) && room.interest.settled(b.room.sessionId)).toBe(true);
    marker(room, spotInCell(room, 1, 1, size, [pa, pb]), 'Cellstone');
    await waitFor('both receive the marker', () => named(a, 'Cellstone') && named(b, 'Cellstone'));
    await waitFor('each holds the other', () => a.mirror.entities.has(String(b.avatar())) && b.mirror.entities.has(String(a.avatar())));

    // Bob walks (is put) four cells east: he gets that cell's view, sees what is there, and no longer alice.
    const far = spotInCell(room, 5, 1, size);
    marker(room, spotInCell(room, 5, 1, size, [far]), 'Farstone');
    put(room, b.avatar(), far);
    await waitFor('bob has a view of his own cell', () => viewOf(b) && viewOf(b) !== viewOf(a) && room.interest.settled(b.room.sessionId));
    const cell = cellAt(far.x, far.y, size);
    expect(cell.cx).toBe(5);
    await waitFor('bob sees the far marker', () => named(b, 'Farstone'));
    await waitFor('bob no longer holds alice', () => !b.mirror.entities.has(String(a.avatar())) && !b.mirror.entities.has(String([...room.sim.world.actors.values()].find((x) => x.tags?.name === 'Cellstone')!.id)));
    expect(named(a, 'Farstone')).toBe(false);
    expect(b.mirror.entities.has(String(b.avatar()))).toBe(true);
    expect(a.mirror.errors.concat(b.mirror.errors)).toEqual([]);
    await a.room.leave();
    await b.room.leave();
  });
});
