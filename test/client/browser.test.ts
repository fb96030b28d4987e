// End to end: build the client, start a real server, and play it in Debian's chromium through playwright-core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorldState } from '../../rooms/index.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { KEYS } from '../llm/helpers.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { serverRoom, startTestServer } from '../rooms/serverHarness.ts';
import { buildClient, HAS_CHROMIUM, inPage, launchBrowser, poll, screenshot } from './browserHarness.ts';
import type { Browser, PageEntity } from './browserHarness.ts';

const ADMIN_TOKEN = 'browser-admin-token-0123456789';
const DIALOGUE_SECRET = 'browser-dialogue-secret-0123456789-abcdef';

/** Whether the room state carries pack plans yet (the coordinator adds them). */
const HAS_PLANS = 'plans' in (new WorldState() as object);

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!HAS_CHROMIUM)('browser client (chromium)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const httpBase = () => `http://127.0.0.1:${server.port}`;
  const shot = (name: string) => screenshot(page, `client/${name}`);
  const me = () => inPage.me(page);
  const entities = () => inPage.entities(page);

  beforeAll(async () => {
    await buildClient();
    server = await startTestServer({ MONSTER_DENSITY: '0.3', ADMIN_TOKEN });
    browser = await launchBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads, joins a room and draws a map that is not blank', async () => {
    const res = await page.goto(`${httpBase()}/?autojoin=1&name=Tester`);
    expect(res?.status()).toBe(200);
    await page.waitForFunction(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self > 0, null, { timeout: 10_000 });
    await page.waitForTimeout(300); // a few frames
    // Sample the canvas on a grid: a drawn map has many colours, a blank one has one.
    const colours = await page.evaluate(() => {
      const c = document.getElementById('view') as HTMLCanvasElement;
      const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<string>();
      for (let y = 0; y < c.height; y += 17) for (let x = 0; x < c.width; x += 17) {
        const i = (y * c.width + x) * 4;
        seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
      return seen.size;
    });
    expect(colours).toBeGreaterThan(20);
    expect(await page.textContent('#room-id')).toMatch(/room /);
    await shot('01-joined.png');
  });

  it('moves the avatar with the keyboard', async () => {
    const start = (await me())!;
    let moved = 0;
    for (const key of ['d', 's', 'a', 'w']) {
      await page.keyboard.down(key);
      await page.waitForTimeout(600);
      await page.keyboard.up(key);
      await page.waitForTimeout(250);
      const now = (await me())!;
      moved = Math.hypot(now.x - start.x, now.y - start.y);
      if (moved > 1) break; // some directions may be walled off
    }
    expect(moved).toBeGreaterThan(1);
    await shot('02-moved.png');
  });

  it('talks to an NPC next to the avatar and shows its reply', async () => {
    const roomId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    const room = serverRoom(roomId);
    const avatar = await page.evaluate(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self);
    const body = room.sim.world.actors.get(avatar)!.body!;
    room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 0.1, wanderSpeed: 0, damage: 0 }, body: { x: body.x + 1.2, y: body.y, faction: 'dummies', maxHp: 200 }, tags: { species: 'dummy', name: 'Grumbold' } } });
    const npc = await poll('the NPC in the page', async () => (await entities()).find((x) => x.name === 'Grumbold'));
    await page.waitForFunction(() => /Grumbold/.test(document.getElementById('talk-hint')?.textContent ?? ''), null, { timeout: 3000 });
    await page.fill('#talk-input', 'Hello there, beast!');
    await page.press('#talk-input', 'Enter');
    const mine = await page.waitForSelector(`#chat-log .line.mine:has-text("Hello there, beast!")`, { timeout: 5000 });
    expect(await mine.textContent()).toBe('Tester: Hello there, beast!');
    const reply = await page.waitForSelector(`#chat-log .line[data-actor="${npc.id}"][data-kind="say"]`, { timeout: 10_000 });
    expect((await reply.textContent())!).toMatch(/^Grumbold: .+/);
    await page.waitForTimeout(150);
    await shot('03-talk.png');
  });

  it('designer mode: free camera, inspector for a clicked actor, spawn errors shown', async () => {
    await page.click('#mode-toggle');
    expect(await page.isVisible('#designer')).toBe(true);
    const npc = (await entities()).find((x) => x.name === 'Grumbold')!;
    const at = await page.evaluate((id) => (globalThis as unknown as { lairmind: { screenOf(id: number): { x: number; y: number } } }).lairmind.screenOf(id), npc.id);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#inspector dd:has-text("Grumbold")', { timeout: 3000 });
    // The free camera pans away from the avatar with the keyboard.
    const before = await page.evaluate(() => (globalThis as unknown as { lairmind: { app: { camera: { x: number } } } }).lairmind.app.camera.x);
    await page.keyboard.down('d');
    await page.waitForTimeout(300);
    await page.keyboard.up('d');
    const after = await page.evaluate(() => (globalThis as unknown as { lairmind: { app: { camera: { x: number } } } }).lairmind.app.camera.x);
    expect(after).toBeGreaterThan(before + 1);
    // Spawning without the admin API (or with a wrong token) shows the server's answer, not a silent failure.
    await page.fill('#admin-token', 'not-the-right-token-at-all');
    await page.fill('#scenario-text', '{"name": "e2e", "spawn": []}');
    await page.click('#spawn-button');
    await page.waitForSelector('#spawn-result.error', { timeout: 5000 });
    expect(await page.textContent('#spawn-result')).toMatch(/^\d{3}/);
    await page.fill('#scenario-text', '{not json');
    await page.click('#spawn-button');
    await page.waitForSelector('#spawn-result.error:has-text("not valid JSON")', { timeout: 2000 });
    await shot('04-designer.png');
  });

  it('shows a clear message when the connection drops, and reconnects on its own', async () => {
    const roomId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    const room = serverRoom(roomId);
    const avatar = await page.evaluate(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self);
    // Cut the socket from the server side without a goodbye, as a network failure would.
    const ref = (room.clients[0] as unknown as { ref: { ws?: { close(): void }; terminate?(): void } }).ref;
    if (ref.ws) ref.ws.close(); // uWebSockets.js: close() is the abrupt one
    else ref.terminate?.(); // ws
    await poll('the drop to be reported', async () => {
      const log = await page.evaluate(() => (globalThis as unknown as { lairmind: { statusLog(): string[] } }).lairmind.statusLog());
      return log.find((l) => l.startsWith('reconnecting: connection lost'));
    });
    await page.waitForFunction(() => (globalThis as unknown as { lairmind: { status: string } }).lairmind.status === 'connected', null, { timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self)).toBe(avatar);
    expect(await page.textContent('#banner')).toMatch(/Reconnected/);
    // Patches flow again: the tick shown keeps advancing.
    const tick = Number(await page.textContent('#tick'));
    await page.waitForFunction((t) => Number(document.getElementById('tick')?.textContent) > t + 10, tick, { timeout: 3000 });
  });

  it.skipIf(!HAS_PLANS)('designer mode shows a pack plan overlay', async () => {
    // Engage a pack: hostile monsters next to the avatar make the coordinator plan for them.
    const roomId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    const room = serverRoom(roomId);
    const avatar = await page.evaluate(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self);
    const body = room.sim.world.actors.get(avatar)!.body!;
    for (let i = 0; i < 3; i++) {
      room.sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', body: { x: body.x - 6 - 1.5 * i, y: body.y + 3 + i, faction: 'wild', maxHp: 30 }, tags: { species: 'wolf', name: `Wolf${i}`, pack: 'e2e-pack' } } });
    }
    if (!(await page.isVisible('#designer'))) await page.click('#mode-toggle');
    await page.waitForFunction(() => (globalThis as unknown as { lairmind: { plans(): unknown[] } }).lairmind.plans().length > 0, null, { timeout: 10_000 });
    await page.waitForSelector('#plans-list .plan', { timeout: 2000 });
    await page.waitForTimeout(200);
    // The overlay draws in the plan source's colour; count those pixels.
    const overlayPixels = await page.evaluate(() => {
      const c = document.getElementById('view') as HTMLCanvasElement;
      const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      const targets = [[0xff, 0x9f, 0x1c], [0x4c, 0xc9, 0xf0], [0xc7, 0x7d, 0xff], [0xcc, 0xcc, 0xcc]];
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (targets.some(([r, g, b]) => Math.abs(data[i]! - r!) < 6 && Math.abs(data[i + 1]! - g!) < 6 && Math.abs(data[i + 2]! - b!) < 6)) n++;
      }
      return n;
    });
    expect(overlayPixels).toBeGreaterThan(30);
    await shot('05-plan-overlay.png');
  });

  it('designer mode saves the room and forks it into a sandbox, and the page moves there', async () => {
    if (!(await page.isVisible('#designer'))) await page.click('#mode-toggle');
    const roomId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.click('#save-button');
    await page.waitForSelector('#save-result.ok:has-text("Saved at tick")', { timeout: 10_000 });
    const saved = Number(/tick (\d+)/.exec((await page.textContent('#save-result')) ?? '')?.[1]);
    expect(saved).toBeGreaterThan(0);
    await page.click('#fork-button');
    await page.waitForFunction((from) => {
      const l = (globalThis as unknown as { lairmind: { roomId: string; status: string } }).lairmind;
      return l.roomId !== '' && l.roomId !== from && l.status === 'connected';
    }, roomId, { timeout: 15_000 });
    const forkId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    const fork = serverRoom(forkId);
    // The sandbox continues the saved world (the original's NPC is there) from the snapshot's tick, with only the designer in it.
    expect(fork.restoredAt).toBeGreaterThanOrEqual(saved);
    expect([...fork.sim.world.actors.values()].some((a) => a.tags?.name === 'Grumbold')).toBe(true);
    expect(fork.clients.length).toBe(1);
    await shot('06-forked.png');
  }, 30_000);
});

describe.skipIf(!HAS_CHROMIUM)('browser client: an NPC reply streamed from a cloud model (chromium, fake OpenAI)', () => {
  let server: ServerProcess;
  let fake: FakeProvider;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'lairmind-browser-dialogue-'));

  beforeAll(async () => {
    fake = await startFake('openai');
    writeFileSync(join(dir, 'llm.yaml'), [
      'providers: { openai: {} }',
      'models:',
      '  entries:',
      '    - { provider: openai, model: gpt-4o-mini, capabilities: { json: true, streaming: true }, contextWindow: 128000, price: { input: 0.15, cachedInput: 0.075, output: 0.6, checked: 2025-07-04 }, latencyMs: 900, quality: 0.62 }',
      'cache: { enabled: false }',
    ].join('\n') + '\n');
    await buildClient();
    server = await startServerProcess({
      TRANSPORT: 'ws', MATCHMAKE_LOOPBACK: 'exempt', MONSTER_DENSITY: '0', WORLD_SIZE: '64', SEED: 'browser-dialogue',
      ADMIN_TOKEN, AUTH_SECRET: DIALOGUE_SECRET, LAIRMIND_CONFIG: join(dir, 'llm.yaml'), OPENAI_API_KEY: KEYS.openai, OPENAI_BASE_URL: fake.baseURL,
    }, { timeoutMs: 60_000 });
    browser = await launchBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills the chat line as the reply streams, then shows the finished line', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/admin/players/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ player: 'ada', tier: 'premium', ttlSeconds: 600 }),
    });
    const { token } = (await res.json()) as { token: string };
    await page.goto(`http://127.0.0.1:${server.port}/?autojoin=1&name=Ada&token=${encodeURIComponent(token)}`);
    await page.waitForFunction(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self > 0, null, { timeout: 10_000 });
    const roomId = await page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId);
    const at = await page.evaluate(() => {
      const l = (globalThis as unknown as { lairmind: { self: number; entities(): PageEntity[] } }).lairmind;
      const e = l.entities().find((x) => x.id === l.self)!;
      return { x: e.x, y: e.y };
    });
    const spawned = await fetch(`http://127.0.0.1:${server.port}/admin/rooms/${roomId}/spawn?x=${at.x}&y=${at.y}`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'smithy', spawns: [{ npc: { name: 'Hilda', role: 'blacksmith', knows: ['the old mine lies east of the village'], mood: 'gruff', at: { x: 1.2, y: 0 }, wander: 0 } }] }),
    });
    expect(spawned.status).toBe(200);
    await page.waitForFunction(() => /Hilda/.test(document.getElementById('talk-hint')?.textContent ?? ''), null, { timeout: 5000 });
    fake.queue({ type: 'stream', chunks: ['Aye, ', 'Ada. ', 'The old mine ', 'lies east ', 'of the village.'], firstMs: 100, gapMs: 250 });
    await page.fill('#talk-input', 'Where is the old mine?');
    await page.press('#talk-input', 'Enter');
    // Watch the live line grow in the page as chunks arrive.
    const seen = await page.evaluate(() => new Promise<string[]>((resolve) => {
      const texts: string[] = [];
      const log = document.getElementById('chat-log')!;
      const look = (): void => {
        const live = log.querySelector('.line.streaming');
        const t = live?.textContent ?? '';
        if (t && t !== texts.at(-1)) texts.push(t);
        const done = [...log.querySelectorAll('.line[data-kind="say"]')].some((l) => /old mine lies east of the village\./.test(l.textContent ?? ''));
        if (done) resolve(texts);
        else setTimeout(look, 20);
      };
      look();
    }));
    expect(fake.requests.length).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]).toMatch(/^Hilda: Aye,/);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.length).toBeGreaterThan(seen[i - 1]!.length);
    // The finished line replaces the live one.
    expect(await page.$$('#chat-log .line.streaming')).toHaveLength(0);
    expect(await page.textContent('#chat-log .line[data-kind="say"]:has-text("old mine lies east")')).toBe('Hilda: Aye, Ada. The old mine lies east of the village.');
    await screenshot(page, 'client/07-streamed-reply.png');
  }, 30_000);
});
