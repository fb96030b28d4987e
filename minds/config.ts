import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ValidationError } from '../shared/index.ts';

/** Where the built-in models live (committed; rebuilt by `npm run models:build`). */
export const BUILTIN_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models');

/**
 * Configuration of the minds, as data (a config file or the environment). Every model can be replaced by a
 * Hugging Face–layout folder (`config.json`, `onnx/model.onnx`, `tokenizer.json` for text models):
 * - `personality`, `policy`: same input and output tensors as the built-in ones (checked at start-up);
 * - `intent`: any sequence classifier transformers.js can load (`input_ids`, `attention_mask` → `logits`,
 *   labels from `config.json` `id2label`; labels other than the port's intents read as `unknown`);
 * - `reply`: a text-generation model (e.g. a small chat model exported to ONNX, or the repository's tiny
 *   `models/reply-tiny`); without one, the grammar.
 */
export const MindsConfigSchema = z.object({
  /** Folder holding the built-in `personality/`, `policy/`, `intent/` (default: the repository's models/). */
  modelsDir: z.string().min(1).optional(),
  models: z.object({
    personality: z.string().min(1),
    policy: z.string().min(1),
    intent: z.string().min(1),
    reply: z.string().min(1),
  }).partial().strict().default({}),
  /**
   * What decides for monsters (layer 3): `model` (default), the policy model — the one learned in the simulator,
   * `policy-learned/`, when the models folder has it, else `policy/` — or `rules`, the hand-written rules alone.
   */
  monsterMind: z.enum(['model', 'rules']).default('model'),
  /** `onnx` (default) runs the models on onnxruntime-node / transformers.js; `js` uses the plain-JS forward passes. */
  runtime: z.enum(['onnx', 'js']).default('onnx'),
  /** onnxruntime intra-op threads per session (1 is fastest for tick-sized batches). */
  threads: z.number().int().min(1).max(64).default(1),
  /** New tokens a generative reply model may write per line. */
  replyMaxNewTokens: z.number().int().min(1).max(256).default(48),
}).strict();

export type MindsConfigInput = z.input<typeof MindsConfigSchema>;

/** A checked configuration with every model folder resolved to an absolute path. */
export interface MindsConfig {
  readonly runtime: 'onnx' | 'js';
  readonly monsterMind: 'model' | 'rules';
  readonly threads: number;
  readonly replyMaxNewTokens: number;
  readonly folders: { readonly personality: string; readonly policy: string; readonly intent: string; readonly reply?: string };
  /** The built-in intent folder (its weights are the intent fallback). */
  readonly builtinIntent: string;
}

/** Validate a configuration; relative paths resolve against `baseDir` (default: the working directory). Errors name the bad field. */
export function parseMindsConfig(input: unknown = {}, baseDir = process.cwd()): MindsConfig {
  const r = MindsConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new ValidationError('minds config', r.error.issues.map((i) => ({ path: i.path, message: i.message })));
  const c = r.data;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const dir = c.modelsDir ? abs(c.modelsDir) : BUILTIN_MODELS_DIR;
  return {
    runtime: c.runtime,
    monsterMind: c.monsterMind,
    threads: c.threads,
    replyMaxNewTokens: c.replyMaxNewTokens,
    folders: {
      personality: c.models.personality ? abs(c.models.personality) : join(dir, 'personality'),
      policy: c.models.policy ? abs(c.models.policy) : existsSync(join(dir, 'policy-learned')) ? join(dir, 'policy-learned') : join(dir, 'policy'),
      intent: c.models.intent ? abs(c.models.intent) : join(dir, 'intent'),
      ...(c.models.reply ? { reply: abs(c.models.reply) } : {}),
    },
    builtinIntent: join(dir, 'intent'),
  };
}

/**
 * Configuration from environment variables: `LAIRMIND_MODELS_DIR`, `LAIRMIND_PERSONALITY_MODEL`,
 * `LAIRMIND_POLICY_MODEL`, `LAIRMIND_INTENT_MODEL`, `LAIRMIND_REPLY_MODEL` (folders), `LAIRMIND_MINDS_RUNTIME`
 * (`onnx` | `js`), `LAIRMIND_MONSTER_MIND` (`model` | `rules`). Unset variables keep the defaults.
 */
export function mindsConfigFromEnv(env: Record<string, string | undefined> = process.env): MindsConfigInput {
  const models: Record<string, string> = {};
  for (const [k, v] of [['personality', 'LAIRMIND_PERSONALITY_MODEL'], ['policy', 'LAIRMIND_POLICY_MODEL'], ['intent', 'LAIRMIND_INTENT_MODEL'], ['reply', 'LAIRMIND_REPLY_MODEL']] as const) {
    const val = env[v];
    if (val) models[k] = val;
  }
  const out: Record<string, unknown> = { models };
  if (env.LAIRMIND_MODELS_DIR) out.modelsDir = env.LAIRMIND_MODELS_DIR;
  if (env.LAIRMIND_MINDS_RUNTIME) out.runtime = env.LAIRMIND_MINDS_RUNTIME;
  if (env.LAIRMIND_MONSTER_MIND) out.monsterMind = env.LAIRMIND_MONSTER_MIND;
  return out as MindsConfigInput;
}
