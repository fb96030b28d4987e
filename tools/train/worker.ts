// A training worker: evaluates tasks posted by the trainer (tools/train/workerPool.ts) and posts the results back.
import { parentPort } from 'node:worker_threads';
import { evaluate } from './evaluate.ts';
import type { EvalTask } from './evaluate.ts';

const port = parentPort;
if (!port) throw new Error('tools/train/worker.ts runs as a worker thread');
port.on('message', (task: EvalTask) => {
  evaluate(task).then(
    (r) => port.postMessage({ ok: true, result: r }),
    (err: unknown) => port.postMessage({ ok: false, id: task.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
