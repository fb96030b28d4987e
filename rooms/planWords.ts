/**
 * Where a pack plan came from, in the words a designer reads: "Local tactician — the cloud was not asked: this
 * room's LLM budget is spent", "Cloud plan from OpenAI (gpt-4o-mini, from the cache)". Built from the plan's source
 * and the coordinator's note on the last cloud ask (see actors/coordinator: `accepted …`, `gateway answered locally
 * (why): …`, `cloud failed: …`, `stale cloud plan dropped: …`, `cloud plan refused: …`).
 */

const PROVIDERS: Readonly<Record<string, string>> = { openai: 'OpenAI', anthropic: 'Anthropic', gemini: 'Gemini', google: 'Gemini' };

/** A provider's name as people write it. */
export function providerName(provider: string): string {
  return PROVIDERS[provider] ?? (provider ? provider.charAt(0).toUpperCase() + provider.slice(1) : 'an unknown source');
}

/** Why the gateway did not use the cloud, from its fallback or routing reason, in plain words. */
export function localReason(why: string): string {
  const w = why.toLowerCase();
  if (w === 'tier, budget or outage') return 'the tier, a budget or an outage kept it local';
  if (/budget exceeded: room/.test(w)) return "this room's LLM budget is spent";
  if (/budget exceeded: (player|account)/.test(w)) return "the player's LLM budget is spent";
  if (/budget exceeded: (tier|tenant|deployment|day)/.test(w)) return 'the LLM budget for today is spent';
  if (/budget exceeded: call/.test(w)) return 'the battle is too big for one call\'s token or cost limit';
  if (/budget exceeded/.test(w)) return 'an LLM budget is spent';
  const tier = /tier (\S+): no cloud calls/.exec(why);
  if (tier) return `the room's tier '${tier[1] as string}' allows no cloud tactics`;
  if (/rate|limit reached|too many|per hour|hourly|daily/.test(w)) return "the tier's limit on cloud calls was reached";
  if (/deadline|timeout|timed out/.test(w)) return 'no answer came in time';
  if (/breaker|unavailable|resting|outage|unreachable/.test(w)) return 'the cloud providers are unavailable';
  if (/local only|no (eligible |cloud )?model|no model|none configured|no provider/.test(w)) return 'no cloud model is configured on this server';
  return why;
}

/** One sentence about a plan's origin, from its source (`tactician` or a provider), model, cache flag and note. */
export function planSourceText(source: string, model: string, cached: boolean, note: string): string {
  const local = source === 'tactician' || source === 'local' || source === '';
  const own = local ? 'Local tactician' : `Cloud plan from ${providerName(source)}${model || cached ? ` (${[model, cached ? 'from the cache' : ''].filter(Boolean).join(', ')})` : ''}`;
  const detail = noteWords(note, local);
  return detail ? `${own} — ${detail}` : own;
}

/** What the note on the last cloud ask adds, or '' when it adds nothing. */
function noteWords(note: string, local: boolean): string {
  if (!note) return local ? 'the cloud has not answered yet' : '';
  const locally = /^gateway answered locally \((.*)\): tactician plan stands$/.exec(note);
  if (locally) {
    const why = locally[1] as string;
    const reason = localReason(why);
    // `provider:model: …` is a model the gateway tried; a budget it hit before sending anything is not a try.
    const tried = /^[\w-]+:[^:\s]+: /.test(why) && !/budget exceeded/.test(why);
    return local ? `the cloud ${tried ? 'was tried and gave no plan' : 'was not asked'}: ${reason}` : `the last ask stayed local: ${reason}`;
  }
  if (note.startsWith('accepted ')) return local ? 're-planned locally since the last cloud plan' : '';
  const rest = (prefix: string): string | null => (note.startsWith(prefix) ? note.slice(prefix.length) : null);
  const failed = rest('cloud failed: ');
  if (failed !== null) return `the cloud call failed: ${failed}`;
  const stale = rest('stale cloud plan dropped: ');
  if (stale !== null) return `the cloud's plan came too late and was dropped: ${stale}`;
  const refused = rest('cloud plan refused: ');
  if (refused !== null) return `the cloud's plan was refused: ${refused}`;
  if (note === 'cloud answer without a source') return 'the cloud answered without saying which model: its plan was not used';
  return note;
}
