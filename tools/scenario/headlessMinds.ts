import { localTactician, PlanSchema } from '../../actors/index.ts';
import type { BattleContext, Mind } from '../../actors/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import { CloudTactics } from '../../minds/index.ts';
import type { MindService } from '../../minds/index.ts';

/**
 * The minds of a headless run, as the server wires them: the local models (personality, think, chat) and cloud
 * tactics for the `plan` port through `llm`, whose local handler is the tactician.
 */
export function headlessMinds(service: MindService | undefined, llm: LlmGateway): Record<string, Mind | undefined> {
  llm.registerLocal('tactics', ({ input }) => localTactician(input as BattleContext));
  return {
    ...(service && { personality: service.personality, think: service.think, chat: service.chat }),
    plan: new CloudTactics({ gateway: llm, schema: PlanSchema }),
  };
}
