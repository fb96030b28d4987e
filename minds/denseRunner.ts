import * as ort from 'onnxruntime-node';
import type { Mlp } from './nn/mlp.ts';
import { forwardDense, softmaxRow } from './nn/mlp.ts';

/** The part of an onnxruntime-node session the minds use (tests substitute failing ones). */
export interface SessionLike {
  readonly outputNames: readonly string[];
  run(feeds: Record<string, ort.Tensor>, fetches: string[]): Promise<Record<string, ort.Tensor>>;
  release?(): Promise<void>;
}

/** Creates a session from ONNX bytes; the default uses onnxruntime-node on the CPU. */
export type SessionFactory = (bytes: Uint8Array, modelPath: string) => Promise<SessionLike>;

/** Logs a line (failures, fallbacks); the service logs each model's failure once. */
export type MindLogger = (line: string) => void;

/** The default {@link SessionFactory}: CPU, one thread (a tick's batch is tiny; threads cost more than they save). */
export function ortSessionFactory(threads = 1): SessionFactory {
  return async (bytes) => ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
}

/** What a run produced and by which path. */
export interface DenseResult {
  readonly outputs: readonly Float32Array[];
  readonly source: 'model' | 'fallback';
}

/**
 * One dense model: a batch of feature rows in, one array per output out, through one onnxruntime call.
 * When the session cannot be created or a run throws, the plain-JS forward pass of the same weights takes
 * over (if the weights are a built-in MLP; otherwise `run` returns `undefined` and the caller uses its rule
 * teacher). The failure is logged once; after it the model stays on the fallback.
 */
export class DenseRunner {
  readonly name: string;
  private session: SessionLike | undefined;
  private readonly mlp: Mlp | undefined;
  private readonly inputName: string;
  private readonly outputNames: string[];
  private readonly log: MindLogger;
  private failed = false;

  private constructor(name: string, session: SessionLike | undefined, mlp: Mlp | undefined, inputName: string, outputNames: readonly string[], log: MindLogger) {
    this.name = name;
    this.session = session;
    this.mlp = mlp;
    this.inputName = inputName;
    this.outputNames = [...outputNames];
    this.log = log;
  }

  /** Create the runner; a session that fails to load is logged and replaced by the fallback. */
  static async create(o: {
    name: string; bytes: Uint8Array; modelPath: string; mlp: Mlp | undefined; inputName: string; outputNames: readonly string[];
    factory: SessionFactory | null; log: MindLogger;
  }): Promise<DenseRunner> {
    let session: SessionLike | undefined;
    let failure: unknown;
    if (o.factory) {
      try {
        session = await o.factory(o.bytes, o.modelPath);
      } catch (err) {
        failure = err;
      }
    }
    const r = new DenseRunner(o.name, session, o.mlp, o.inputName, o.outputNames, o.log);
    if (failure !== undefined) r.fail('failed to load', failure);
    else if (!o.factory) r.failed = true; // runtime 'js' chosen by configuration: not a failure
    return r;
  }

  /** True while onnxruntime serves this model. */
  get onModel(): boolean {
    return !this.failed && this.session !== undefined;
  }

  /** Which path serves the model now. */
  get path(): 'onnxruntime' | 'js' | 'teacher' {
    return this.onModel ? 'onnxruntime' : this.mlp ? 'js' : 'teacher';
  }

  private fail(what: string, err: unknown): void {
    if (!this.failed) {
      const msg = err instanceof Error ? err.message : String(err);
      this.log(`minds: model '${this.name}' ${what} (${msg.split('\n')[0]}); using the ${this.mlp ? 'plain-JS forward pass of its weights' : 'rule teacher'} from now on`);
    }
    this.failed = true;
    this.session = undefined;
  }

  /** Run `n` rows of `x` (n × width) through the model. `undefined` means: use the rule teacher. */
  async run(x: Float32Array, n: number, width: number): Promise<DenseResult | undefined> {
    if (n === 0) return { outputs: this.outputNames.map(() => new Float32Array(0)), source: this.onModel ? 'model' : 'fallback' };
    if (this.onModel) {
      try {
        const out = await (this.session as SessionLike).run({ [this.inputName]: new ort.Tensor('float32', x.subarray(0, n * width), [n, width]) }, this.outputNames);
        return { outputs: this.outputNames.map((name) => out[name]?.data as Float32Array), source: 'model' };
      } catch (err) {
        this.fail('failed to run', err);
      }
    }
    if (!this.mlp) return undefined;
    return { outputs: this.jsOutputs(this.mlp, x, n), source: 'fallback' };
  }

  /** The requested outputs from the plain-JS pass: heads by name, `<head>_probs` as the softmax of a head. */
  private jsOutputs(m: Mlp, x: Float32Array, n: number): Float32Array[] {
    const heads = forwardDense(m, x, n);
    return this.outputNames.map((name) => {
      const k = m.heads.findIndex((h) => h.name === name || `${h.name}_probs` === name);
      const head = m.heads[k], z = heads[k];
      if (!head || !z) throw new Error(`model '${this.name}' has no output '${name}'`);
      if (name === head.name) return z;
      const p = new Float64Array(head.size), out = new Float32Array(n * head.size);
      for (let r = 0; r < n; r++) {
        softmaxRow(z, r, head.size, p);
        for (let c = 0; c < head.size; c++) out[r * head.size + c] = p[c] as number;
      }
      return out;
    });
  }

  /** Release the native session. */
  async close(): Promise<void> {
    await this.session?.release?.();
    this.session = undefined;
  }
}
