// Shared by the browser tests: build the client once, launch Debian's chromium through playwright-core, read the page's
// `lairmind` console object, and write screenshots to test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
/** Whether this machine can run the browser tests. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ROOT = join(import.meta.dirname, '../..');
/** Where screenshots go (kept as CI artifacts). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const CLIENT = join(ROOT, 'client');
const DIST = join(CLIENT, 'dist');
const STAMP = join(DIST, '.sources-stamp');
/** One lock per checkout (each has its own client/dist). */
const LOCK = join(tmpdir(), `lairmind-client-build-${ROOT.replace(/[^A-Za-z0-9]+/g, '_')}.lock`);

/** Poll an async check every 100 ms until it returns a value or `ms` pass. */
export async function poll<T>(what: string, check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The newest modification time among the client's sources and the shared code it bundles, as a stamp. */
function sourcesStamp(): string {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else newest = Math.max(newest, s.mtimeMs);
    }
  };
  for (const d of ['client', 'shared', 'procgen']) walk(join(ROOT, d));
  return String(newest);
}

/**
 * Build the client into client/dist unless it is already built from the current sources. Test files run in
 * parallel processes: a lock directory keeps two builds from emptying the folder under a page another test serves.
 */
export async function buildClient(): Promise<void> {
  const end = performance.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (performance.now() > end) throw new Error(`timed out waiting for ${LOCK} (remove it if no test is running)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const stamp = sourcesStamp();
    if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
    await build({ configFile: join(CLIENT, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(STAMP, stamp);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** A chromium with its own throw-away profile, and its first page. */
export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1100, height: 700 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'lairmind-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot of the page into test-artifacts/`name` (a path under it). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, name);
  mkdirSync(join(path, '..'), { recursive: true });
  await page.screenshot({ path });
}

/** An entity as the page's `lairmind.entities()` returns it. */
export interface PageEntity { id: number; kind: string; species: string; name: string; x: number; y: number; hp: number; maxHp: number; anim: string; shielded?: boolean }

/** Read-only views of the page's state through its `lairmind` console object. */
export const inPage = {
  self: (page: Page) => page.evaluate(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self),
  roomId: (page: Page) => page.evaluate(() => (globalThis as unknown as { lairmind: { roomId: string } }).lairmind.roomId),
  entities: (page: Page) => page.evaluate(() => (globalThis as unknown as { lairmind: { entities(): PageEntity[] } }).lairmind.entities()),
  me: (page: Page) => page.evaluate(() => {
    const l = (globalThis as unknown as { lairmind: { self: number; entities(): PageEntity[] } }).lairmind;
    return l.entities().find((e) => e.id === l.self);
  }),
  screenOf: (page: Page, id: number) => page.evaluate((i) => (globalThis as unknown as { lairmind: { screenOf(id: number): { x: number; y: number } | undefined } }).lairmind.screenOf(i), id),
  /** Wait until the avatar has spawned. */
  joined: (page: Page, timeout = 10_000) => page.waitForFunction(() => (globalThis as unknown as { lairmind: { self: number } }).lairmind.self > 0, null, { timeout }),
};
