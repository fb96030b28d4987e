import type { Mind, MindRequest, ReplyInput } from '../actors/index.ts';
import { INTENT_LABELS } from './catalog.ts';
import { parseMindsConfig } from './config.ts';
import type { MindsConfig } from './config.ts';
import { DenseRunner, ortSessionFactory } from './denseRunner.ts';
import type { MindLogger, SessionFactory } from './denseRunner.ts';
import { BagClassifier, IntentClassifier, labelsOf, transformersClassifierFactory } from './intentClassifier.ts';
import type { TextClassifierFactory } from './intentClassifier.ts';
import { ChatMind } from './chatMind.ts';
import type { MindStats } from './mindStats.ts';
import { PersonalityMind } from './personalityMind.ts';
import { ThinkMind } from './thinkMind.ts';
import { ModelFolderError, inspectFolder, inspectGenerationFolder } from './modelFolder.ts';
import type { Mlp } from './nn/mlp.ts';
import { mlpFromDecoded } from './nn/mlpGraph.ts';
import { PERSONALITY_HEADS, PERSONALITY_INPUTS } from './personalityModel.ts';
import { POLICY_HEADS, POLICY_INPUTS } from './policyModel.ts';
import { ReplyWriter, transformersGeneratorFactory } from './replyWriter.ts';
import type { TextGeneratorFactory } from './replyWriter.ts';

/** Non-data options of {@link MindService.create}: where logs go, and runtime substitutes (tests, adapters). */
export interface MindServiceOptions {
  /** Configuration as data (validated; see MindsConfigSchema). */
  readonly config?: unknown;
  /** Base directory for relative model paths in `config` (default: the working directory). */
  readonly baseDir?: string;
  /** Where failures and fallbacks are logged (each model's failure once). Default: console.warn. */
  readonly logger?: MindLogger;
  /** Creates onnxruntime sessions for the dense models (default: onnxruntime-node, CPU). */
  readonly createSession?: SessionFactory;
  /** Loads the intent classifier (default: transformers.js text-classification pipeline). */
  readonly createClassifier?: TextClassifierFactory;
  /** Loads a generative reply model when `models.reply` is configured (default: transformers.js text-generation). */
  readonly createGenerator?: TextGeneratorFactory;
}

/** How each model is served right now. */
export interface MindServiceStatus {
  readonly personality: 'onnxruntime' | 'js' | 'teacher';
  readonly policy: 'onnxruntime' | 'js' | 'teacher';
  readonly intent: 'transformers.js' | 'js';
  readonly reply: 'generator' | 'grammar';
  readonly folders: MindsConfig['folders'];
}

/**
 * The local minds (layers 2 and 3): implements the `personality`, `think` and `chat` ports. Each mind serves
 * a whole tick's batch of one port with one model call; `serve` routes a mixed batch by port. Model folders
 * are checked at start-up (a missing file or a wrong tensor shape throws {@link ModelFolderError}); a model
 * that fails to load or run falls back to a plain-JS pass of its weights (or its rule teacher), logged once.
 */
export class MindService {
  readonly personality: PersonalityMind;
  readonly think: ThinkMind;
  readonly chat: ChatMind;
  readonly config: MindsConfig;
  private readonly runners: readonly DenseRunner[];
  private readonly intent: IntentClassifier;
  private readonly writer: ReplyWriter;

  private constructor(config: MindsConfig, personality: DenseRunner, policy: DenseRunner, policyProbs: boolean, policyMlp: Mlp | undefined, intent: IntentClassifier, writer: ReplyWriter) {
    this.config = config;
    this.runners = [personality, policy];
    this.intent = intent;
    this.writer = writer;
    this.personality = new PersonalityMind(personality);
    this.think = config.monsterMind === 'rules' ? ThinkMind.rules() : new ThinkMind(policy, policyProbs, policyMlp);
    this.chat = new ChatMind(intent, writer);
  }

  /** Check the model folders, load the models and return the service. Throws on a bad config or a broken folder. */
  static async create(o: MindServiceOptions = {}): Promise<MindService> {
    const config = parseMindsConfig(o.config ?? {}, o.baseDir);
    const log = o.logger ?? ((line: string) => console.warn(line));
    const onnx = config.runtime === 'onnx';
    const sessions = onnx ? (o.createSession ?? ortSessionFactory(config.threads)) : null;

    const pf = inspectFolder(config.folders.personality, {
      files: ['config.json'],
      inputs: [{ name: 'features', shape: ['batch', PERSONALITY_INPUTS] }],
      outputs: PERSONALITY_HEADS.map((h) => ({ name: h.name, shape: ['batch', h.size] })),
    });
    const qf = inspectFolder(config.folders.policy, {
      files: ['config.json'],
      inputs: [{ name: 'features', shape: ['batch', POLICY_INPUTS] }],
      outputs: POLICY_HEADS.map((h) => ({ name: h.name, shape: ['batch', h.size] })),
    });
    const intentSpec = { files: ['config.json', 'tokenizer.json'], inputs: [{ name: 'input_ids', shape: ['batch', 'sequence'] }, { name: 'attention_mask', shape: ['batch', 'sequence'] }], outputs: [] };
    const inf = inspectFolder(config.folders.intent, intentSpec);
    const labels = labelsOf(inf);
    const logitsOut = inf.decoded.outputs.find((v) => v.name === 'logits');
    if (!logitsOut || logitsOut.shape.length !== 2 || (typeof logitsOut.shape[1] === 'number' && logitsOut.shape[1] !== labels.length)) {
      throw new ModelFolderError(inf.modelPath, `output 'logits' has shape [${logitsOut?.shape.join(', ') ?? 'missing'}], expected [batch, ${labels.length}] (one per id2label entry)`);
    }
    const builtin = config.builtinIntent === config.folders.intent ? inf : inspectFolder(config.builtinIntent, intentSpec);
    const bag = BagClassifier.fromFolder(inf) ?? BagClassifier.fromFolder(builtin);
    if (!bag) throw new ModelFolderError(builtin.modelPath, `is not the built-in intent network (an embedding table W1 and ${INTENT_LABELS.length} logits)`);
    if (config.folders.reply) inspectGenerationFolder(config.folders.reply);

    const personality = await DenseRunner.create({
      name: 'personality', bytes: pf.bytes, modelPath: pf.modelPath, mlp: mlpFromDecoded(pf.decoded, PERSONALITY_HEADS),
      inputName: 'features', outputNames: PERSONALITY_HEADS.map((h) => h.name), factory: sessions, log,
    });
    // The built-in policy also outputs the softmax (`logits_probs`): decoding then only takes an argmax.
    const probs = qf.decoded.outputs.some((v) => v.name === 'logits_probs');
    const policyMlp = mlpFromDecoded(qf.decoded, POLICY_HEADS);
    const policy = await DenseRunner.create({
      name: 'policy', bytes: qf.bytes, modelPath: qf.modelPath, mlp: policyMlp,
      inputName: 'features', outputNames: [probs ? 'logits_probs' : 'logits'], factory: sessions, log,
    });
    const intent = await IntentClassifier.create({ folder: inf, fallback: bag, factory: onnx ? (o.createClassifier ?? transformersClassifierFactory) : null, log });
    let generator;
    if (config.folders.reply) {
      try {
        generator = await (o.createGenerator ?? transformersGeneratorFactory)(config.folders.reply);
      } catch (err) {
        log(`minds: model 'reply' failed to load (${(err instanceof Error ? err.message : String(err)).split('\n')[0]}); using the reply grammar`);
      }
    }
    return new MindService(config, personality, policy, probs, policyMlp, intent, new ReplyWriter(generator, config.replyMaxNewTokens, log));
  }

  /** The mind serving a port (`personality`, `think`, `chat`), or undefined (e.g. `plan`, served by layer 4). */
  mindFor(port: string): Mind | undefined {
    return port === 'personality' ? this.personality : port === 'think' ? this.think : port === 'chat' ? this.chat : undefined;
  }

  /**
   * Serve a step's requests of any ports: each port's batch goes to its mind in one call; requests for ports
   * this service does not serve get an error reply. Replies come back in request order.
   */
  async serve(requests: readonly MindRequest[], signal?: AbortSignal): Promise<ReplyInput[]> {
    // A batch of one port (what a host that groups by port sends) goes to its mind as it is, without copies.
    const port = requests[0]?.port;
    const single = port !== undefined ? this.mindFor(port) : undefined;
    if (single && requests.every((r) => r.port === port)) return single.serve(requests, signal);
    const byPort = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const list = byPort.get(r.port);
      if (list) list.push(i);
      else byPort.set(r.port, [i]);
    });
    const out: ReplyInput[] = new Array(requests.length);
    await Promise.all([...byPort].map(async ([port, idx]) => {
      const mind = this.mindFor(port);
      if (!mind) {
        for (const i of idx) out[i] = { requestId: (requests[i] as MindRequest).requestId, ok: false, error: `no local mind serves port '${port}'` };
        return;
      }
      const replies = await mind.serve(idx.map((i) => requests[i] as MindRequest), signal);
      idx.forEach((i, k) => { out[i] = replies[k] as ReplyInput; });
    }));
    return out;
  }

  /** How each model is served now (after any fallback). */
  status(): MindServiceStatus {
    return {
      personality: (this.runners[0] as DenseRunner).path,
      policy: this.config.monsterMind === 'rules' ? 'teacher' : (this.runners[1] as DenseRunner).path,
      intent: this.intent.path,
      reply: this.writer.path,
      folders: this.config.folders,
    };
  }

  /** Counters per mind. */
  stats(): { personality: MindStats; think: MindStats; chat: MindStats } {
    return { personality: { ...this.personality.stats }, think: { ...this.think.stats }, chat: { ...this.chat.stats } };
  }

  /** Release native sessions. */
  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.close()));
  }
}
