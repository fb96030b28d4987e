import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { MindService, mindsConfigFromEnv } from '../../minds/index.ts';

/** Lines per model call. */
const BATCH = 512;

/**
 * Classify chat lines from `input` (one per line) and write one JSON object per line to `output`:
 * `{"text", "intent", "confidence"}` (text as normalised). Lines that arrive together go through the model
 * in one batch; output order follows input order. Resolves when the input ends.
 */
export async function runClassify(service: MindService, input: Readable, output: Writable): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let pending: string[] = [];
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    chain = chain.then(async () => {
      for (let i = 0; i < lines.length; i += BATCH) {
        const res = await service.chat.classify(lines.slice(i, i + BATCH));
        for (const r of res) output.write(`${JSON.stringify({ text: r.text, intent: r.intent, confidence: Math.round(r.confidence * 1e4) / 1e4 })}\n`);
        count += res.length;
      }
    });
  };
  rl.on('line', (line) => {
    pending.push(line);
    if (pending.length === 1) setImmediate(flush);
    else if (pending.length >= BATCH) flush();
  });
  await new Promise<void>((resolve) => rl.once('close', resolve));
  flush();
  await chain;
  return count;
}

/** `lairmind classify`: player chat on stdin → intents as JSON lines on stdout. */
export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('read chat lines from standard input and print {"text","intent","confidence"} per line (models from LAIRMIND_*_MODEL)')
    .action(async () => {
      const service = await MindService.create({ config: mindsConfigFromEnv(), logger: (l) => console.error(l) });
      try {
        await runClassify(service, process.stdin, process.stdout);
      } finally {
        await service.close();
      }
    });
}
