import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { matchMaker } from '@colyseus/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { activeTracer } from '../../llm/index.ts';
import type { CallRequest } from '../../llm/index.ts';
import { createLogger, loadConfig } from '../../server/index.ts';
import { startTracing, tracesUrl } from '../../server/tracing.ts';
import { startServerProcess } from '../../tools/loadtest/index.ts';
import type { ServerProcess } from '../../tools/loadtest/index.ts';
import { serverRoom, startTestServer } from '../rooms/serverHarness.ts';

/** OTLP/HTTP JSON as the exporter sends it (only what these tests read). */
interface OtlpTraces {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[];
}

/** A collector on 127.0.0.1 that keeps every OTLP/HTTP trace export it receives. */
async function startCollector(): Promise<{ url: string; posts: { path: string; body: OtlpTraces }[]; close(): Promise<void> }> {
  const posts: { path: string; body: OtlpTraces }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      posts.push({ path: req.url ?? '', body: JSON.parse(text) as OtlpTraces });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, posts, close: () => new Promise((r) => server.close(() => r())) };
}

const spansOf = (posts: readonly { body: OtlpTraces }[]) => posts.flatMap((p) => p.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, resource: rs.resource, scope: ss.scope.name })))));

describe('tracing settings', () => {
  it('refuses a sampler or ratio it does not know, naming the variable', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ TRACE_TICKS: 'some' })).toThrow(/TRACE_TICKS/);
    const c = loadConfig({});
    expect([c.OTEL_TRACES_SAMPLER, c.OTEL_TRACES_SAMPLER_ARG, c.OTEL_SERVICE_NAME, c.TRACE_TICKS, c.OTEL_SDK_DISABLED]).toEqual(['parentbased_traceidratio', 1, 'lairmind', 'asks', false]);
  });

  it('sends traces to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe('http://c:4318/v1/traces');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/otel/' })).toBe('http://c:4318/otel/v1/traces');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x' })).toBe('http://t:1/x');
    expect(tracesUrl({})).toBeUndefined();
  });

  it('without an endpoint registers nothing and says so; OTEL_SDK_DISABLED wins over an endpoint', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
    const off = await startTracing(loadConfig({}), logger);
    expect(off.mode).toBe('off');
    expect(off.tracer).toBeUndefined();
    expect(activeTracer()).toBeUndefined();
    expect(lines.join('\n')).toMatch(/traces: off; set OTEL_EXPORTER_OTLP_ENDPOINT/);
    const disabled = await startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'TRUE' }), logger);
    expect(disabled.mode).toBe('off');
    expect(activeTracer()).toBeUndefined();
  });
});

describe('a server with tracing off', () => {
  it('gives its rooms no tracing and the gateway no trace context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lairmind-untraced-'));
    writeFileSync(join(dir, 'battle.yaml'), [
      'name: battle',
      'world: { seed: untraced, size: 64, biome: forest }',
      'spawns:',
      '  - pack: { id: wolves, species: wolf, size: 3, at: { x: 6, y: 0 }, spread: 1, traits: { aggression: 1, courage: 1 } }',
      'outcome: { win: [{ packDefeated: wolves }] }',
    ].join('\n') + '\n');
    const server = await startTestServer({ SCENARIOS_DIR: dir, PUBLIC_SCENARIOS: 'battle' });
    try {
      expect(server.tracing.mode).toBe('off');
      const listing = await matchMaker.createRoom('world', { scenario: 'battle' });
      const room = serverRoom(listing.roomId);
      room.pause();
      expect(room.tracing).toBeUndefined();
      const calls: CallRequest<unknown>[] = [];
      const call = server.llm.call.bind(server.llm);
      vi.spyOn(server.llm, 'call').mockImplementation((req) => {
        calls.push(req as CallRequest<unknown>);
        return call(req);
      });
      // A hero next to the pack: the coordinator's ask reaches the gateway (answered locally: no keys here).
      void room.spawnInputs([{ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x: 2.5, y: 0.5, maxHp: 5000, hp: 5000, speed: 5, faction: 'players' }, tags: { name: 'hero' } } }]);
      for (let i = 0; i < 200 && calls.length === 0; i++) room.stepOnce();
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((c) => c.trace === undefined)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('a server process with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let proc: ServerProcess | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  afterAll(async () => {
    await proc?.stop(0);
    await collector?.close();
  });

  it('exports its spans over OTLP/HTTP as service lairmind, and flushes them when SIGTERM stops it', async () => {
    collector = await startCollector();
    proc = await startServerProcess({
      LOG_LEVEL: 'info', WORLD_SIZE: '64', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, TRACE_TICKS: 'all', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1',
      // A long export interval: what reaches the collector arrives at shutdown, through the flush.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    }, { captureLogs: true });
    expect(proc.logs.join('\n')).toMatch(new RegExp(`traces: exporting over OTLP/HTTP to ${collector.url}/v1/traces`));
    const res = await fetch(`http://127.0.0.1:${proc.port}/matchmake/create/world`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    // Let the room run a few ticks (20 Hz), each of which makes a span in `all` mode.
    await new Promise((r) => setTimeout(r, 500));
    expect(collector.posts).toHaveLength(0);
    const t0 = performance.now();
    await proc.stop(5000);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - t0).toBeLessThan(2500);
    const spans = spansOf(collector.posts);
    expect(collector.posts.every((p) => p.path === '/v1/traces')).toBe(true);
    const ticks = spans.filter((s) => s.name === 'room.tick');
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks[0]?.scope).toBe('lairmind');
    expect(ticks[0]?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'lairmind' } });
    expect(ticks[0]?.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['lairmind.room.id', 'lairmind.tick', 'lairmind.tick.overrun']));
    expect(proc.logs.join('\n')).not.toMatch(/spans not flushed/);
  });
});
