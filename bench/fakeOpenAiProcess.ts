// An OpenAI-compatible chat completions endpoint in its own process, so the benchmark's process measures the
// gateway and the SDK, not the fake's work on the same event loop. Prints its port on stdout, then serves until killed.
// Modes: `instant` answers at once; `slow-flaky` answers after 50–400 ms (seeded) with 5% HTTP 500s.
import { createServer } from 'node:http';
import { Rng } from '../shared/index.ts';

const BODY = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"ok":true}', refusal: null } }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});
const ERROR = JSON.stringify({ error: { message: 'boom', type: 'server_error', code: null, param: null } });
const mode = process.argv[2] ?? 'instant';
const rng = Rng.create(process.argv[3] ?? 'fake');

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
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
process.on('SIGTERM', () => process.exit(0));
