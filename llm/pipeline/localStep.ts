import { AllProvidersFailedError } from '../errors.ts';
import { validateValue } from '../structured.ts';
import type { CallContext } from './callContext.ts';
import { now } from './parts.ts';
import type { GatewayParts } from './parts.ts';
import { failures } from './recordStep.ts';

/** What the local handler gave: its value, or why there is none (`error` ends the call). */
export type LocalOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error?: AllProvidersFailedError };

/**
 * Local step, the last link of every chain: the operation's local handler (deterministic, offline, free), its value
 * checked against the call's schema like any provider's. Not taken when the caller turned local fallback off.
 */
export async function localStep(g: GatewayParts, c: CallContext): Promise<LocalOutcome> {
  const req = c.req;
  const handler = g.local.handler(req.operation);
  if (!handler || req.localFallback === false) return { ok: false };
  const st = c.st;
  const t = now();
  let value: unknown;
  try {
    value = await handler({ operation: req.operation, input: req.input, system: c.prompt.system, messages: c.prompt.messages, tenant: c.tenant, room: req.room, signal: c.signal });
  } catch (e) {
    st.attempts.push({ provider: 'local', model: req.operation, outcome: 'error', ms: now() - t });
    return { ok: false, error: new AllProvidersFailedError(failures(c, 'local handler threw'), { cause: e }) };
  }
  if (c.schema) {
    const v = validateValue(value, c.schema);
    if (!v.ok) {
      st.attempts.push({ provider: 'local', model: req.operation, outcome: 'invalid_output', ms: now() - t });
      return { ok: false, error: new AllProvidersFailedError(failures(c, `local output invalid: ${v.error}`)) };
    }
    value = v.value;
  } else if (typeof value !== 'string') value = JSON.stringify(value);
  if (c.sink) value = (value as string).slice(0, c.preset.maxOutputChars);
  st.attempts.push({ provider: 'local', model: req.operation, outcome: 'ok', ms: now() - t });
  return { ok: true, value };
}
