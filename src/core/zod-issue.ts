import type { z } from 'zod';

/**
 * The first problem zod found, as Loom reports bad input: the dotted path of the offending field (`fallback` for the
 * whole value) and zod's message. An unknown key is reported by zod on its parent object; this names the key itself,
 * so the user finds it.
 */
export function firstIssue(error: z.ZodError, fallback: string): { readonly field: string; readonly problem: string } {
  const issue = error.issues[0];
  const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  return { field: at.map(String).join('.') || fallback, problem: issue.message };
}
