import { renderPrompt } from '../guard.ts';
import { jsonSchemaOf } from '../structured.ts';
import type { CallContext } from './callContext.ts';
import type { GatewayParts } from './parts.ts';

/**
 * Guard step: render the prompt (untrusted text sanitised and fenced, a canary in the system text) and count it with
 * each routable model's tokenizer.
 */
export function guardStep(g: GatewayParts, c: CallContext): void {
  c.jsonSchema = c.schema ? jsonSchemaOf(c.schema) : undefined;
  c.prompt = renderPrompt(c.req.messages, g.token(), g.token(), g.opts.guard);
  c.counted = g.tokens.forPrompt(c.prompt.system, c.prompt.messages, c.jsonSchema ? JSON.stringify(c.jsonSchema) : '');
  c.inputTokens = c.counted.max(g.models);
}
