import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFile, serveClient } from '../../server/staticClient.ts';
import { createLogger } from '../../server/logger.ts';

const root = mkdtempSync(join(tmpdir(), 'lairmind-dist-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Handler = Parameters<Parameters<typeof serveClient>[0]['use']>[0];

function fakeApp(): { handlers: Handler[]; use(h: Handler): void } {
  const handlers: Handler[] = [];
  return { handlers, use: (h) => handlers.push(h) };
}

async function request(h: Handler, method: string, path: string): Promise<{ status?: number; type?: string; body?: unknown; next: boolean }> {
  return new Promise((resolve) => {
    const out: { status?: number; type?: string; body?: unknown; next: boolean } = { next: false };
    const res = {
      status(c: number) {
        out.status = c;
        return res;
      },
      set(k: string, v: string) {
        if (k === 'Content-Type') out.type = v;
        return res;
      },
      send(b: unknown) {
        out.body = b;
        resolve(out);
      },
    };
    h({ method, url: path, path }, res as never, () => resolve({ ...out, next: true }));
  });
}

describe('serving the built client', () => {
  it('maps request paths to files inside the build folder only', () => {
    expect(clientFile(root, '/')).toBe(join(root, 'index.html'));
    expect(clientFile(root, '/assets/app.js?v=1')).toBe(join(root, 'assets', 'app.js'));
    expect(clientFile(root, '/../package.json')).toBe(join(root, 'package.json')); // normalised back inside
    expect(clientFile(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(clientFile(root, '/%E0%A4%A')).toBeUndefined();
    expect(clientFile(root, '/a%00b')).toBeUndefined();
  });

  it('serves files that exist with their type and passes everything else on', async () => {
    const app = fakeApp();
    expect(serveClient(app, createLogger('silent'), root)).toBe(true);
    const h = app.handlers[0]!;
    const index = await request(h, 'GET', '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', next: false });
    expect(String(index.body)).toBe('<!doctype html>');
    expect(await request(h, 'GET', '/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await request(h, 'GET', '/health')).toMatchObject({ next: true });
    expect(await request(h, 'GET', '/assets')).toMatchObject({ next: true });
    expect(await request(h, 'POST', '/')).toMatchObject({ next: true });
  });

  it('serves nothing, and says so, when the client is not built', () => {
    const app = fakeApp();
    const lines: string[] = [];
    const logger = createLogger('info', { write: (s: string) => lines.push(s) });
    expect(serveClient(app, logger, join(root, 'missing'))).toBe(false);
    expect(app.handlers).toHaveLength(0);
    expect(lines.join('')).toMatch(/npm run build:client/);
  });
});
