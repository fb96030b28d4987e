// Child process of bench/net.ts: a real server with an observer that records step and patch times and bytes.
// stdin: `measure <seconds>` → prints one JSON line with what was recorded in that window; `exit`.
import { createInterface } from 'node:readline';
import { loadConfig, startServer, createLogger } from '../server/index.ts';

const steps: number[] = [];
const patches: number[] = [];
let bytes = 0;
let recording = false;

const running = await startServer(loadConfig(process.env), {
  logger: createLogger('silent'),
  observer: {
    step: (_room, _world, _report, ms) => {
      if (recording) steps.push(ms);
    },
    patch: (_room, ms) => {
      if (recording) patches.push(ms);
    },
    bytesSent: (_room, n) => {
      if (recording) bytes += n;
    },
  },
});
console.log(`ready ${running.port}`);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'measure') {
    steps.length = 0;
    patches.length = 0;
    bytes = 0;
    recording = true;
    await new Promise((r) => setTimeout(r, Number(arg) * 1000));
    recording = false;
    console.log(JSON.stringify({ steps, patches, bytes, rss: process.memoryUsage().rss, seconds: Number(arg) }));
  } else if (cmd === 'exit') {
    break;
  }
}
await running.close();
process.exit(0);
