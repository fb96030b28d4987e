// The designer's flow end to end, in Debian's chromium: a real server in its own process with an admin token;
// designer mode, the spawn box's example spawned and answered in words, a pack plan read in plain words, and the
// live inspector laid out in sections that refresh while it is open.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAWN_EXAMPLE } from '../../client/spawnExample.ts';
import { startServerProcess } from '../../tools/loadtest/serverProcess.ts';
import type { ServerProcess } from '../../tools/loadtest/serverProcess.ts';
import { buildClient, HAS_CHROMIUM, inPage, launchBrowser, poll, screenshot } from './browserHarness.ts';
import type { Browser } from './browserHarness.ts';

const ADMIN_TOKEN = 'designer-admin-token-0123456789';

describe.skipIf(!HAS_CHROMIUM)('designer tools (chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, `designer-${name}.png`);

  beforeAll(async () => {
    await buildClient();
    server = await startServerProcess({ TRANSPORT: 'ws', MATCHMAKE_LOOPBACK: 'exempt', MONSTER_DENSITY: '0', WORLD_SIZE: '64', SEED: 'designer', ADMIN_TOKEN }, { timeoutMs: 60_000 });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`http://127.0.0.1:${server.port}/?autojoin=1&name=Dee`);
    await inPage.joined(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('inserts the example, spawns it where the view is, and says in words what it spawned', async () => {
    await page.click('#mode-toggle');
    expect(await page.isVisible('#designer')).toBe(true);
    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.dispatchEvent('#admin-token', 'change');
    await page.click('#spawn-example');
    expect(JSON.parse(await page.inputValue('#scenario-text'))).toEqual(SPAWN_EXAMPLE);
    await page.click('#spawn-button');
    const result = await page.waitForSelector('#spawn-result.ok', { timeout: 10_000 });
    const text = (await result.textContent())!;
    expect(text).toMatch(/^Spawned 3 wolves \(#\d+–#\d+\) and Lute the bard \(#\d+\) near \(-?\d+, -?\d+\)$/);
    const ids = [...text.matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
    const spawned = await poll('the spawned actors in view', async () => {
      const es = await inPage.entities(page);
      const wolves = es.filter((e) => e.species === 'wolf');
      return wolves.length === 3 && es.some((e) => e.name === 'Lute') ? es : undefined;
    }, 5000);
    const wolves = spawned.filter((e) => e.species === 'wolf').map((e) => e.id).sort((a, b) => a - b);
    expect(wolves[0]).toBe(ids[0]);
    expect(wolves[2]).toBe(ids[1]);
  });

  it('reads the wolves\' pack plan in plain words, without pack ids', async () => {
    const line = await page.waitForSelector('#plans-list .plan', { timeout: 10_000 });
    await page.waitForTimeout(300); // a few frames of the overlay
    await shot('plans');
    const text = (await line.textContent())!;
    expect(text).toMatch(/^\S+'s wolves: \w+ — (Local tactician|Cloud plan from \w+)/);
    expect(text).toMatch(/the cloud (was not asked|has not answered yet|was tried)/);
    expect(text).not.toMatch(/pack:|a\d+:wolves|#\d+|tactician plan stands|\(tier, budget or outage\)/);
    const list = (await page.textContent('#plans-list'))!;
    expect(list).not.toMatch(/pack:|a\d+:/);
  });

  it('inspects a clicked wolf live: sections a person reads, refreshed while open, inside the panel', async () => {
    const wolf = (await inPage.entities(page)).find((e) => e.species === 'wolf' && e.hp > 0)!;
    // Wolves move: click where the wolf is drawn now.
    const at = (await inPage.screenOf(page, wolf.id))!;
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector(`#inspector[data-actor="${wolf.id}"] [data-section="decisions"]`, { timeout: 5000 });
    const titles = await page.$$eval('#inspector [data-section] h4', (hs) => hs.map((h) => h.textContent));
    expect(titles).toEqual(['Summary', 'State', 'Order and plan', 'Recent decisions', 'Memory', 'Persona', 'Failures']);
    const first = Number(await page.getAttribute('#inspector', 'data-tick'));
    await page.waitForFunction((t) => Number(document.getElementById('inspector')?.dataset.tick) > t + 5, first, { timeout: 3000 });
    const summary = (await page.textContent('#inspector [data-section="summary"]'))!;
    expect(summary).toContain(`(#${wolf.id})`);
    expect(summary).toMatch(/where.*(tiles .* of the centre|centre of the world) \(-?\d+(\.\d)?, -?\d+(\.\d)?\)/);
    expect(summary).toMatch(/pack\S+'s wolves/);
    const decisions = await poll('a judged decision', async () => {
      const t = await page.textContent('#inspector [data-section="decisions"]');
      return t && /tick \d+ · think: \w+.*(followed|not followed)/.test(t) ? t : undefined;
    }, 8000);
    expect(decisions).toMatch(/why: the (decision model|fallback rules)/);
    const all = (await page.textContent('#inspector'))!;
    expect(all).not.toMatch(/\{"|\d\.\d{3,}|a\d+:wolves|pack:/);
    // Nothing spills out of the panel sideways.
    const spill = await page.evaluate(() => {
      const panel = document.getElementById('designer')!;
      const right = panel.getBoundingClientRect().right;
      return [...panel.querySelectorAll('#inspector *')].filter((e) => e.getBoundingClientRect().right > right + 1).length + (panel.scrollWidth > panel.clientWidth ? 1 : 0);
    });
    expect(spill).toBe(0);
    await page.$eval('#inspector', (e) => e.scrollIntoView());
    await shot('inspector');
    // Closing the designer stops the refreshes.
    await page.click('#mode-toggle');
    const closed = Number(await page.getAttribute('#inspector', 'data-tick'));
    await page.waitForTimeout(1200);
    expect(Number(await page.getAttribute('#inspector', 'data-tick'))).toBe(closed);
  });
});
