import type { z } from 'zod';
import { explainIssues } from '../../shared/index.ts';
import type { Issue } from '../../shared/index.ts';

/** Keys people put in by habit, with what to do instead. */
const HINTS: Readonly<Record<string, string>> = {
  apiKey: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
  api_key: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
  key: 'API keys are read from environment variables only: name the variable in apiKeyEnv',
};

/**
 * zod's issues as path-precise ones (see {@link explainIssues}): the bad value, what was expected, the nearest
 * valid key or value; an unknown key becomes an issue at that key (`providers.openai.apiKey: unknown key …
 * (allowed here: …)`), with a hint for keys that do not belong in the file at all.
 */
export function configIssues(root: z.ZodType, issues: readonly z.core.$ZodIssue[], input: unknown): Issue[] {
  return explainIssues(root, issues, input, { keyHints: HINTS });
}
