import { Worker } from 'node:worker_threads';
import { evaluate } from './evaluate.ts';
import type { EvalResult, EvalTask } from './evaluate.ts';

type Reply = { ok: true; result: EvalResult } | { ok: false; id: number; error: string };

/**
 * Evaluates tasks on worker threads (or in this thread when `size` is 0). Results come back in task order,
 * whichever worker ran them, so a training run gives the same numbers with any number of workers.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      // worker.mjs loads the TypeScript worker through tsx's API (a worker thread does not inherit the loader).
      this.workers.push(new Worker(new URL('./worker.mjs', import.meta.url)));
    }
  }

  /** Run all `tasks`; rejects with the first task's error (naming the task). */
  async run(tasks: readonly EvalTask[]): Promise<EvalResult[]> {
    if (this.size === 0) {
      const out: EvalResult[] = [];
      for (const t of tasks) out.push(await evaluate(t));
      return out;
    }
    const out = new Array<EvalResult>(tasks.length);
    let next = 0;
    const drive = (w: Worker): Promise<void> => new Promise((resolve, reject) => {
      const give = (): void => {
        if (next >= tasks.length) {
          w.off('message', onMessage);
          w.off('error', onError);
          resolve();
          return;
        }
        const k = next++;
        current = k;
        w.postMessage(tasks[k]);
      };
      let current = -1;
      const onMessage = (m: Reply): void => {
        if (!m.ok) {
          w.off('message', onMessage);
          w.off('error', onError);
          reject(new Error(`training task ${m.id} failed: ${m.error}`));
          return;
        }
        out[current] = m.result;
        give();
      };
      const onError = (err: Error): void => {
        w.off('message', onMessage);
        reject(new Error(`training worker died on task ${current}: ${err.message}`));
      };
      w.on('message', onMessage);
      w.on('error', onError);
      give();
    });
    await Promise.all(this.workers.map(drive));
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
