// An OpenAI-compatible chat completions endpoint in its own process, so the benchmark's process measures the
// gateway and the SDK, not the fake's work on the same event loop. Prints its port on stdout, then serves until killed.
// Modes: `instant` answers at once; `slow-flaky` answers after 50–400 ms (seeded) with 5% HTTP 500s;
// `stream [firstMs] [gapMs]` answers a streaming request (`stream: true`) with OpenAI's chat.completion.chunk
// events, the first content after firstMs (default 200) and the next every gapMs (default 40), and prints
// `sent <epoch ms>` (performance.timeOrigin + performance.now()) as it writes each reply's first content chunk;
// non-streaming requests get the instant answer. On stdin, `clock` prints `clock <epoch ms>` (a reader's check that
// the two processes' clocks agree).
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { Rng } from '../shared/index.ts';

const BODY = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"ok":true}', refusal: null } }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});
const ERROR = JSON.stringify({ error: { message: 'boom', type: 'server_error', code: null, param: null } });
const mode = process.argv[2] ?? 'instant';
const rng = Rng.create(mode === 'stream' ? 'fake' : (process.argv[3] ?? 'fake'));
const firstMs = mode === 'stream' ? Number(process.argv[3] ?? 200) : 0;
const gapMs = mode === 'stream' ? Number(process.argv[4] ?? 40) : 0;
/** What a streamed reply says, token by token: a line an NPC who knows where the old mine is may say. */
const TOKENS = ['Aye', ',', ' traveller', '.', ' The', ' old', ' mine', ' lies', ' east', ' of', ' the', ' village', '.'];

/**
 * Tokens a streamed reply reports: few, so that thousands of replies in one room stay inside the room's default LLM
 * budget ($0.05 a day; at a real reply's ~300 + 13 tokens it would be spent after ~900 replies and the rest answered locally).
 */
const STREAM_USAGE = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

const epoch = (): number => performance.timeOrigin + performance.now();
let streams = 0;

/** One streamed reply as OpenAI writes it: a role chunk, content chunks, a finish chunk, the usage chunk, [DONE]. */
function stream(res: ServerResponse, model: string, usage: boolean): void {
  const base = { id: `chatcmpl-${++streams}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, system_fingerprint: 'fp_bench' };
  const event = (choices: unknown[], u: unknown = null): string => `data: ${JSON.stringify({ ...base, choices, ...(usage && { usage: u }) })}\n\n`;
  const delta = (d: object, finish: string | null = null): unknown => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  let i = 0;
  const next = (): void => {
    if (res.destroyed) return;
    if (i === 0) {
      res.write(event([delta({ role: 'assistant', content: '', refusal: null })]) + event([delta({ content: TOKENS[0] })]));
      process.stdout.write(`sent ${epoch().toFixed(3)}\n`);
    } else if (i < TOKENS.length) {
      res.write(event([delta({ content: TOKENS[i] })]));
    } else {
      res.end(event([delta({}, 'stop')])
        + (usage ? event([], STREAM_USAGE) : '')
        + 'data: [DONE]\n\n');
      return;
    }
    i++;
    setTimeout(next, gapMs);
  };
  setTimeout(next, firstMs);
}

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => void (mode === 'stream' && parts.push(c)));
  req.on('end', () => {
    if (mode === 'stream') {
      let body: { stream?: boolean; model?: string; stream_options?: { include_usage?: boolean } } = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as typeof body;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error', code: null, param: null } }));
        return;
      }
      if (body.stream === true) stream(res, String(body.model ?? 'gpt-4o-mini'), body.stream_options?.include_usage === true);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
      return;
    }
    if (mode === 'instant') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
      return;
    }
    const fail = rng.next() < 0.05;
    setTimeout(() => {
      if (fail) res.writeHead(500, { 'content-type': 'application/json' }).end(ERROR);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
    }, 50 + 350 * rng.next());
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'clock') process.stdout.write(`clock ${epoch().toFixed(3)}\n`);
});
process.on('SIGTERM', () => process.exit(0));
