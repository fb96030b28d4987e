import { DRILL_ADMIN_TOKEN, rawHttp, sleep, statusOf } from './harness.ts';
import type { Drill } from './drill.ts';

/** Every kind of route: ours (Express), the matchmaker's (Colyseus router), the monitor, static files, unknown. */
const ROUTES = ['/health', '/metrics', '/admin/rooms', '/admin/rooms/nope/spawn', '/matchmake/create/world', '/matchmake/joinById/nope', '/colyseus', '/', '/index.html', '/no/such/route'];

export const abortedRequests: Drill = {
  name: 'http-aborted',
  proves: 'aborted and truncated HTTP requests on every route leave the server serving',
  async run({ server }) {
    let sent = 0;
    for (const route of ROUTES) {
      for (const auth of ['', `Authorization: Bearer ${DRILL_ADMIN_TOKEN}\r\n`]) {
        // A body shorter than its Content-Length, then the socket closes (what a timed-out probe or load balancer does).
        await rawHttp(server.port, `POST ${route} HTTP/1.1\r\nHost: drill\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`, 30);
        // Headers cut off mid-line.
        await rawHttp(server.port, `POST ${route} HTTP/1.1\r\nHost: drill\r\n${auth}Content-Le`, 30);
        // A whole request, gone before the answer.
        await rawHttp(server.port, `GET ${route} HTTP/1.1\r\nHost: drill\r\n${auth}\r\n`, 1);
        sent += 3;
      }
    }
    await sleep(200);
    if (!server.alive()) throw new Error(`the server died after aborted requests`);
    return `${sent} aborted or truncated requests on ${ROUTES.length} routes`;
  },
};

export const slowloris: Drill = {
  name: 'http-slowloris',
  proves: 'connections that dribble their headers are closed by the server; /health keeps answering',
  async run({ server }) {
    const sockets = 40;
    const started = performance.now();
    const slow = Array.from({ length: sockets }, (_, i) => dribble(server.port, i));
    let worstHealth = 0;
    const probes = (async () => {
      while (performance.now() - started < 14_000 && slow.some((s) => !s.closed)) {
        const h = await server.health();
        if (h.status !== 200) throw new Error(`/health answered ${h.status || 'nothing'} in ${h.ms.toFixed(0)} ms while ${sockets} connections dribbled headers`);
        worstHealth = Math.max(worstHealth, h.ms);
        await sleep(500);
      }
    })();
    await probes;
    for (const s of slow) s.stop();
    const open = slow.filter((s) => !s.closed).length;
    if (open > 0) throw new Error(`${open} of ${sockets} connections still open after ${((performance.now() - started) / 1000).toFixed(1)} s of one header byte every 500 ms`);
    const closedAfter = Math.max(...slow.map((s) => s.closedAfterMs));
    return `${sockets} dribbling connections closed by the server within ${(closedAfter / 1000).toFixed(1)} s; /health worst ${worstHealth.toFixed(0)} ms`;
  },
};

/** A connection that sends a request line, then one header byte every 500 ms. */
function dribble(port: number, i: number): { closed: boolean; closedAfterMs: number; stop(): void } {
  const state = { closed: false, closedAfterMs: 0, stop: () => {} };
  const t0 = performance.now();
  void import('node:net').then(({ connect }) => {
    const socket = connect(port, '127.0.0.1');
    const header = `X-Slow-${i}: ${'a'.repeat(200)}`;
    let at = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(header[at++ % header.length] as string);
    }, 500);
    const closed = (): void => {
      if (state.closed) return;
      state.closed = true;
      state.closedAfterMs = performance.now() - t0;
      clearInterval(timer);
    };
    socket.on('close', closed);
    socket.on('error', closed);
    socket.write(`GET /health HTTP/1.1\r\nHost: drill\r\n`);
    state.stop = () => {
      clearInterval(timer);
      socket.destroy();
    };
  });
  return state;
}

export const oversizedBodies: Drill = {
  name: 'http-oversized',
  proves: 'huge bodies, with or without a token, are refused from their headers: no body is buffered',
  async run({ server }) {
    const big = 50 * 1024 * 1024;
    const cases: { route: string; auth: boolean; chunked?: boolean; want: number }[] = [
      { route: '/admin/rooms', auth: false, want: 401 },
      { route: '/admin/rooms', auth: true, want: 413 },
      { route: '/matchmake/create/world', auth: false, want: 413 },
      { route: '/health', auth: false, want: 413 },
      { route: '/matchmake/create/world', auth: false, chunked: true, want: 411 },
      { route: '/admin/rooms', auth: true, chunked: true, want: 411 },
    ];
    let worstMs = 0;
    let mostSent = 0;
    for (const c of cases) {
      const what = `POST ${c.route} (${c.auth ? 'with' : 'without'} token${c.chunked ? ', chunked' : ''})`;
      // As curl sends a big body: asks first (Expect: 100-continue) and must get the refusal, not an invitation.
      const asked = await streamBody(server.port, c.route, big, c.auth, c.chunked === true, true);
      if (asked.status !== c.want) throw new Error(`${what} with Expect: 100-continue answered ${asked.status || 'nothing'}, expected ${c.want}`);
      // As an attacker sends it: all at once. The refusal may be lost to the reset that closing an unread
      // connection causes, so what counts is how soon the server stopped taking bytes.
      const pushed = await streamBody(server.port, c.route, big, c.auth, c.chunked === true, false);
      if (pushed.status !== 0 && pushed.status !== c.want) throw new Error(`${what} answered ${pushed.status}, expected ${c.want}`);
      if (pushed.bytesSent > 16 * 1024 * 1024) throw new Error(`${what}: the server took ${(pushed.bytesSent / 1024 / 1024).toFixed(0)} MB of a body it should refuse from its headers`);
      worstMs = Math.max(worstMs, asked.ms, pushed.ms);
      mostSent = Math.max(mostSent, pushed.bytesSent);
      if (Math.max(asked.ms, pushed.ms) > 1000) throw new Error(`${what}: the ${c.want} took ${Math.max(asked.ms, pushed.ms).toFixed(0)} ms (the body was read first?)`);
    }
    return `${cases.length} 50 MB bodies refused (${cases.map((c) => c.want).join(', ')}) within ${worstMs.toFixed(0)} ms, after at most ${(mostSent / 1024 / 1024).toFixed(1)} MB on the wire`;
  },
};

/** POST a body of `size` bytes as fast as the socket takes it; resolves when the answer's status line arrives. */
async function streamBody(port: number, route: string, size: number, auth: boolean, chunked: boolean, expectContinue: boolean): Promise<{ status: number; ms: number; bytesSent: number }> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let text = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: statusOf(text), ms: performance.now() - t0, bytesSent: sent });
    };
    const timer = setTimeout(finish, 10_000);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (expectContinue && /^HTTP\/1\.1 100 /.test(text)) {
        text = text.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, '');
        pump();
      }
      if (statusOf(text)) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`;
    socket.write(`POST ${route} HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\n${auth ? `Authorization: Bearer ${DRILL_ADMIN_TOKEN}\r\n` : ''}${length}\r\n${expectContinue ? 'Expect: 100-continue\r\n' : ''}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    // One chunk per turn of the event loop, as a client that also reads its socket sends (a tight loop would
    // meet the server's close as EPIPE before it read the answer).
    const pump = (): void => {
      if (done || sent >= size) return;
      sent += chunk.length;
      if (socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk)) setImmediate(pump);
      else socket.once('drain', pump);
    };
    if (!expectContinue) pump();
  });
}
