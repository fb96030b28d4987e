import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetAlert } from '../../llm/index.ts';
import { createAlertReceiver } from '../../server/alertReceiver.ts';

const SECRET = 'T0KEN-in-the-path-4242';

/** A webhook receiver on loopback: records posts; `mode` decides the answer. */
interface Hook {
  readonly url: string;
  readonly posts: { headers: IncomingMessage['headers']; body: unknown }[];
  /** Requests whose headers arrived (posts of a hanging hook never complete). */
  arrived: number;
  mode: 'ok' | 'hang' | 'fail';
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hanging: ServerResponse[] = [];
  const hook: Hook = {
    url: '',
    posts: [],
    arrived: 0,
    mode: 'ok',
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
  const server: Server = createServer((req, res) => {
    hook.arrived++;
    if (hook.mode === 'hang') {
      hanging.push(res);
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      hook.posts.push({ headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown });
      res.writeHead(hook.mode === 'ok' ? 204 : 500).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(hook, { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/${SECRET}?sig=${SECRET}` });
  return hook;
}

/** A logger that keeps what it is given. */
function captureLogger(): { warn(obj: object, msg: string): void; lines: { obj: Record<string, unknown>; msg: string }[] } {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  return { lines, warn: (obj, msg) => void lines.push({ obj: obj as Record<string, unknown>, msg }) };
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const alert = (fraction: number): BudgetAlert => ({ scope: 'tenant', subject: 'studio-7', tenant: 'studio-7', day: 20_000, spentUsd: fraction * 2, limitUsd: 2, fraction });

let hook: Hook;
beforeAll(async () => {
  hook = await startHook();
});
afterAll(async () => hook.close());

describe('budget alert receiver', () => {
  it('logs every alert with its fields and posts it to the webhook as JSON', async () => {
    hook.mode = 'ok';
    hook.posts.length = 0;
    const log = captureLogger();
    const r = createAlertReceiver({ logger: log, webhookUrl: hook.url });
    r.onAlert(alert(0.8));
    r.onAlert(alert(1));
    await until('two posts', () => hook.posts.length === 2 && r.inFlight() === 0);
    expect(hook.posts.map((p) => p.body)).toEqual([
      { type: 'lairmind.budget_alert', ...alert(0.8) },
      { type: 'lairmind.budget_alert', ...alert(1) },
    ]);
    expect(hook.posts[0]?.headers['content-type']).toBe('application/json');
    expect(r.stats).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(log.lines.map((l) => l.obj)).toEqual([
      { component: 'llm', scope: 'tenant', subject: 'studio-7', tenant: 'studio-7', day: 20_000, spentUsd: 1.6, limitUsd: 2, fraction: 0.8 },
      { component: 'llm', scope: 'tenant', subject: 'studio-7', tenant: 'studio-7', day: 20_000, spentUsd: 2, limitUsd: 2, fraction: 1 },
    ]);
    await r.close();
  });

  it('without a webhook it only logs', async () => {
    const log = captureLogger();
    const r = createAlertReceiver({ logger: log });
    r.onAlert(alert(1));
    expect(r.inFlight()).toBe(0);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.msg).toMatch(/budget alert: tenant studio-7 spent 100 %/);
    await r.close();
  });

  it('a hanging receiver blocks nothing: onAlert returns at once, posts in flight are bounded, each times out; failures logged once per kind, the URL reduced to its host', async () => {
    hook.mode = 'hang';
    hook.arrived = 0;
    const log = captureLogger();
    const r = createAlertReceiver({ logger: log, webhookUrl: hook.url, timeoutMs: 300, maxInFlight: 3 });
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) r.onAlert(alert(0.8));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(50);
    expect(r.inFlight()).toBe(3);
    expect(r.stats.dropped).toBe(7);
    await until('the hanging posts to reach the receiver', () => hook.arrived === 3);
    await until('the posts to time out', () => r.inFlight() === 0, 3000);
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(r.stats).toEqual({ sent: 0, failed: 3, dropped: 7 });
    const failures = log.lines.filter((l) => l.obj.component === 'alerts');
    expect(failures.map((l) => l.obj.kind).sort()).toEqual(['dropped', 'timeout']);
    for (const f of failures) expect(f.obj.webhook).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);
    expect(JSON.stringify(log.lines)).not.toContain(SECRET);
    // Later failures of a known kind are counted, not logged again.
    r.onAlert(alert(1));
    await until('the next post to time out', () => r.inFlight() === 0, 3000);
    expect(r.stats.failed).toBe(4);
    expect(log.lines.filter((l) => l.obj.component === 'alerts')).toHaveLength(2);
    await r.close();
  });

  it('an error status is a failure kind of its own; close() aborts posts in flight at once', async () => {
    hook.mode = 'fail';
    const log = captureLogger();
    const r = createAlertReceiver({ logger: log, webhookUrl: hook.url });
    r.onAlert(alert(0.8));
    r.onAlert(alert(1));
    await until('two failed posts', () => r.stats.failed === 2);
    expect(log.lines.filter((l) => l.obj.component === 'alerts').map((l) => l.obj.kind)).toEqual(['status:500']);

    hook.mode = 'hang';
    r.onAlert(alert(1));
    expect(r.inFlight()).toBe(1);
    const t0 = performance.now();
    await r.close();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.inFlight()).toBe(0);
    r.onAlert(alert(1));
    expect(r.inFlight()).toBe(0);
  });
});
