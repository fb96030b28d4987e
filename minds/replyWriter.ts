import type { MindLogger } from './denseRunner.ts';
import type { ReplyContext } from './replyGrammar.ts';
import { grammarReply, stanceOf, summarizeMemory, voiceOf } from './replyGrammar.ts';
import { MAX_CHAT_CHARS, normalizeChat } from './text.ts';

/** Generates continuations for a batch of prompts (a transformers.js text-generation pipeline, or a test double). */
export type TextGenerator = (prompts: string[], maxNewTokens: number) => Promise<string[]>;
/** Loads a {@link TextGenerator} from a Hugging Face–layout folder. */
export type TextGeneratorFactory = (dir: string) => Promise<TextGenerator>;

/** The default factory: transformers.js `text-generation`, local files only, greedy decoding. */
export const transformersGeneratorFactory: TextGeneratorFactory = async (dir) => {
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = '';
  const gen = await pipeline('text-generation', dir, { dtype: 'fp32', local_files_only: true });
  return async (prompts, maxNewTokens) => {
    const out = (await gen(prompts, { max_new_tokens: maxNewTokens, do_sample: false, return_full_text: false })) as unknown;
    const rows = Array.isArray(out) ? out : [out];
    return rows.map((r) => {
      const first = (Array.isArray(r) ? r[0] : r) as { generated_text?: unknown } | undefined;
      return typeof first?.generated_text === 'string' ? first.generated_text : '';
    });
  };
};

/** The prompt a generative reply model sees: who the NPC is, what it knows, how it stands, what was said. */
export function replyPrompt(c: ReplyContext): string {
  const mem = summarizeMemory(c.memory, c.intent);
  const stance = stanceOf(c, mem);
  const knows = c.persona.knows.length ? c.persona.knows.join('; ') : 'nothing worth telling';
  const history = mem.meetings ? `You have spoken with ${c.playerName} before (${mem.grudges} rude, ${mem.kindnesses} kind).` : `You have never met ${c.playerName}.`;
  return [
    `You are ${c.persona.name}, ${c.persona.role}${c.persona.species ? ` (a ${c.persona.species})` : ''}. You speak in a ${voiceOf(c.persona)} voice and feel ${c.persona.mood}.`,
    `You know: ${knows}.`,
    `${history} You are ${stance} towards ${c.playerName}. Stay in character and answer in one short line.`,
    `${c.playerName} (${c.intent}): ${c.text}`,
    `${c.persona.name}:`,
  ].join('\n');
}

/** Clean a generated continuation into one line; empty when nothing usable came out. */
export function cleanGenerated(text: string, npcName: string): string {
  const line = (text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '')
    .replace(new RegExp(`^${npcName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*`, 'i'), '')
    .replace(/^["'“”]+|["'“”]+$/g, '');
  return normalizeChat(line, MAX_CHAT_CHARS);
}

/** One written reply and where it came from. */
export interface WrittenReply {
  readonly reply: string;
  readonly source: 'model' | 'grammar';
}

/**
 * Writes NPC replies: the grammar by default; with a generative model configured, one batched generation
 * call per tick, falling back to the grammar for lines that come out empty and, after a failure (logged
 * once), for good.
 */
export class ReplyWriter {
  private gen: TextGenerator | undefined;
  private readonly maxNewTokens: number;
  private readonly log: MindLogger;

  constructor(gen: TextGenerator | undefined, maxNewTokens: number, log: MindLogger) {
    this.gen = gen;
    this.maxNewTokens = maxNewTokens;
    this.log = log;
  }

  get path(): 'generator' | 'grammar' {
    return this.gen ? 'generator' : 'grammar';
  }

  async write(contexts: readonly ReplyContext[]): Promise<WrittenReply[]> {
    if (this.gen && contexts.length) {
      try {
        const out = await this.gen(contexts.map(replyPrompt), this.maxNewTokens);
        return contexts.map((c, i) => {
          const line = cleanGenerated(out[i] ?? '', c.persona.name);
          return line ? { reply: line, source: 'model' as const } : { reply: grammarReply(c), source: 'grammar' as const };
        });
      } catch (err) {
        this.log(`minds: model 'reply' failed to run (${(err instanceof Error ? err.message : String(err)).split('\n')[0]}); using the reply grammar from now on`);
        this.gen = undefined;
      }
    }
    return contexts.map((c) => ({ reply: grammarReply(c), source: 'grammar' as const }));
  }
}
