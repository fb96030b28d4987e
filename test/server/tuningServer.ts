import type { Server } from 'node:http';
import express from 'express';
import type { LlmGateway } from '../../llm/index.ts';
import { createAdminRouter } from '../../server/admin/adminRouter.ts';
import { ScenarioLibrary } from '../../server/index.ts';
import { startFake } from '../llm/fakeProvider.ts';
import type { FakeProvider } from '../llm/fakeProvider.ts';
import { gatewayFor, Plan, testRegistry } from '../llm/helpers.ts';

export const TUNING_TOKEN = 'tuning-admin-token-0123456789';

/** An admin API over a gateway that has answered 60 tactics calls. */
export interface TuningServer {
  readonly url: string;
  readonly gw: LlmGateway;
  close(): Promise<void>;
}

/**
 * A gateway on one OpenAI fake with the built-in presets (tactics: maxTokens 600, temperature 0.4), after 60 tactics
 * calls: replies of 100..159 output tokens, the first 9 invalid (40 tokens of prose) and repaired. So the tuner sees
 * 60 successful replies with p99 159 (→ maxTokens 200) and 9 of 60 calls (15 %) invalid (→ temperature 0.2).
 */
export async function startTuningServer(): Promise<TuningServer> {
  const openai: FakeProvider = await startFake('openai');
  const { gw, clock } = gatewayFor([openai], { cache: { enabled: false } });
  for (let k = 0; k < 60; k++) {
    const ok = { type: 'ok' as const, text: '{"ok":true}', usage: { input: 800, output: 100 + k } };
    if (k < 9) openai.queue({ type: 'ok', text: 'Here is my plan: charge.', usage: { input: 800, output: 40 } }, ok);
    else openai.queue(ok);
    await gw.call({ operation: 'tactics', messages: [{ role: 'user', content: `plan ${k}` }], schema: Plan });
  }
  const app = express();
  app.use('/admin', createAdminRouter({ token: TUNING_TOKEN, scenarios: new ScenarioLibrary(), llm: gw, trustedOptions: {}, registry: testRegistry(), clock }));
  const http = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    gw,
    close: async () => {
      await new Promise<void>((r) => http.close(() => r()));
      await openai.close();
    },
  };
}
