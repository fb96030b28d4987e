import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';

/** Which wire format the fake speaks. */
export type FakeKind = 'openai' | 'anthropic' | 'gemini';

/** A request the fake received. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A scripted reply. */
export type FakeReply =
  | { readonly type: 'ok'; readonly text: string; readonly usage?: { input: number; output: number; cached?: number }; readonly delayMs?: number }
  | { readonly type: 'error'; readonly status: number; readonly headers?: Record<string, string>; readonly message?: string; readonly retryDelay?: string }
  | { readonly type: 'raw'; readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly type: 'hang' }
  | {
    readonly type: 'stream'; readonly chunks: readonly string[]; readonly usage?: { input: number; output: number };
    /** Wait this long before the first event, and this long between events (ms); all at once when both are absent. */
    readonly firstMs?: number; readonly gapMs?: number;
    /** Called as each event is written (its index, and `performance.now()` then). */
    readonly sent?: (event: number, at: number) => void;
  };

/** Decides a reply for each request. */
export type Responder = (req: FakeRequest, n: number) => FakeReply;

/** A fake provider on 127.0.0.1 speaking one provider's real wire format (paths, bodies, SSE). */
export interface FakeProvider {
  readonly kind: FakeKind;
  /** Base URL to give the SDK (OpenAI: with /v1). */
  readonly baseURL: string;
  readonly requests: FakeRequest[];
  /** Replace the responder. */
  respond(r: Responder): void;
  /** Queue replies used first, in order, before the responder. */
  queue(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

const EXPECTED_PATH: Record<FakeKind, RegExp> = {
  openai: /^\/v1\/chat\/completions$/,
  anthropic: /^\/v1\/messages$/,
  gemini: /^\/v1beta\/models\/[^/:]+:(generateContent|streamGenerateContent\?alt=sse)$/,
};

function okBody(kind: FakeKind, model: string, text: string, u: { input: number; output: number; cached?: number }): unknown {
  if (kind === 'openai') {
    return {
      id: 'chatcmpl-1', object: 'chat.completion', created: 0, model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text, refusal: null } }],
      usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output, ...(u.cached ? { prompt_tokens_details: { cached_tokens: u.cached } } : {}) },
    };
  }
  if (kind === 'anthropic') {
    return {
      id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: u.input - (u.cached ?? 0), output_tokens: u.output, ...(u.cached ? { cache_read_input_tokens: u.cached } : {}) },
    };
  }
  return {
    candidates: [{ index: 0, finishReason: 'STOP', content: { role: 'model', parts: [{ text }] } }],
    usageMetadata: { promptTokenCount: u.input, candidatesTokenCount: u.output, totalTokenCount: u.input + u.output, ...(u.cached ? { cachedContentTokenCount: u.cached } : {}) },
  };
}

function errorBody(kind: FakeKind, status: number, message: string, retryDelay?: string): unknown {
  if (kind === 'openai') return { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null, param: null } };
  if (kind === 'anthropic') return { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } };
  return {
    error: {
      code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL',
      ...(retryDelay ? { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] } : {}),
    },
  };
}

function sse(kind: FakeKind, model: string, chunks: readonly string[], u: { input: number; output: number }): string {
  const data = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
  if (kind === 'openai') {
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model };
    let s = data({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const c of chunks) s += data({ ...base, choices: [{ index: 0, delta: { content: c }, finish_reason: null }] });
    s += data({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    s += data({ ...base, choices: [], usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output } });
    return `${s}data: [DONE]\n\n`;
  }
  if (kind === 'anthropic') {
    const ev = (type: string, o: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
    let s = ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: u.input, output_tokens: 1 } } });
    s += ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const c of chunks) s += ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: c } });
    s += ev('content_block_stop', { index: 0 });
    s += ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: u.output } });
    return s + ev('message_stop', {});
  }
  return chunks
    .map((c, i) => data({
      candidates: [{ index: 0, content: { role: 'model', parts: [{ text: c }] }, ...(i === chunks.length - 1 ? { finishReason: 'STOP' } : {}) }],
      usageMetadata: { promptTokenCount: u.input, candidatesTokenCount: i === chunks.length - 1 ? u.output : 0, totalTokenCount: u.input + u.output },
    }))
    .join('');
}

/** Start a fake provider of `kind` on a free loopback port. */
export async function startFake(kind: FakeKind, responder: Responder = () => ({ type: 'ok', text: '{"ok":true}' })): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const queued: FakeReply[] = [];
  let current = responder;
  let n = 0;
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = {};
      }
      const fr: FakeRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(fr);
      if (!EXPECTED_PATH[kind].test(fr.path)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody(kind, 404, `no route ${fr.path}`)));
        return;
      }
      const model = kind === 'gemini' ? (/models\/([^/:]+)/.exec(fr.path)?.[1] ?? '') : String(body.model ?? '');
      const reply = queued.shift() ?? current(fr, n);
      n++;
      const send = (): void => {
        if (reply.type === 'hang') return; // never answers; the client's timeout must fire
        if (reply.type === 'ok') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(okBody(kind, model, reply.text, reply.usage ?? { input: 12, output: 7 })));
        } else if (reply.type === 'error') {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(errorBody(kind, reply.status, reply.message ?? 'fake error', reply.retryDelay)));
        } else if (reply.type === 'raw') {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body);
        } else {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          const body = sse(kind, model, reply.chunks, reply.usage ?? { input: 12, output: 7 });
          if (reply.firstMs === undefined && reply.gapMs === undefined) {
            res.end(body);
            return;
          }
          const events = body.split(/(?<=\n\n)/);
          let i = 0;
          const next = (): void => {
            if (res.destroyed) return;
            res.write(events[i] as string);
            reply.sent?.(i, performance.now());
            if (++i < events.length) setTimeout(next, reply.gapMs ?? 0);
            else res.end();
          };
          setTimeout(next, reply.firstMs ?? 0);
        }
      };
      if (reply.type === 'ok' && reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const root = `http://127.0.0.1:${port}`;
  return {
    kind,
    baseURL: kind === 'openai' ? `${root}/v1` : root,
    requests,
    respond(r) {
      current = r;
    },
    queue(...replies) {
      queued.push(...replies);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Extract the text the gateway put in the request (system + messages), whatever the wire format. */
export function promptText(kind: FakeKind, body: Record<string, unknown>): { system: string; user: string } {
  if (kind === 'openai') {
    const msgs = body.messages as { role: string; content: string }[];
    return { system: msgs.filter((m) => m.role === 'system').map((m) => m.content).join('\n'), user: msgs.filter((m) => m.role !== 'system').map((m) => m.content).join('\n') };
  }
  if (kind === 'anthropic') {
    const msgs = body.messages as { role: string; content: string }[];
    return { system: String(body.system ?? ''), user: msgs.map((m) => m.content).join('\n') };
  }
  const contents = body.contents as { parts: { text: string }[] }[];
  const sys = body.systemInstruction as { parts?: { text: string }[] } | string | undefined;
  const system = typeof sys === 'string' ? sys : (sys?.parts ?? []).map((p) => p.text).join('');
  return { system, user: contents.map((c) => c.parts.map((p) => p.text).join('')).join('\n') };
}
