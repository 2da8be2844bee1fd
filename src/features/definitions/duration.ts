import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PATTERN = /^(\d+)(ms|s|m|h|d|w)$/;

/**
 * A length of time in a definition: `'90s'`, `'15m'`, `'1h'`, `'7d'`, `'2w'` (one integer and one unit), or a
 * whole number of milliseconds.
 */
export type Duration = string | number;

/** The zod schema of a Duration, parsed to whole milliseconds (> 0). */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDurationText(value);
  if (ms === null || !Number.isSafeInteger(ms) || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. '1h', '7d', '30d' or a positive number of milliseconds` });
    return z.NEVER;
  }
  return ms;
});

function parseDurationText(text: string): number | null {
  const match = PATTERN.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}

/** Milliseconds as text in the largest exact unit up to days: 604800000 → '7d', 5400000 → '90m'. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${ms}ms`;
}
