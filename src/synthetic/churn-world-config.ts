import { z } from 'zod';
import { LoomError } from '../core/errors/index.js';
import { firstIssue } from '../core/zod-issue.js';

/** File formats the event log can be written in. */
export const EVENTS_FORMATS = ['parquet', 'csv', 'jsonl'] as const;

/** A format the event log can be written in. */
export type EventsFormat = (typeof EVENTS_FORMATS)[number];

/** An ISO-8601 date (`2024-07-01`, read as UTC midnight) or date-time with an explicit zone (`Z` or `±hh:mm`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const instant = z
  .string()
  .regex(ISO_INSTANT, 'use an ISO-8601 date or a date-time with a zone, e.g. 2024-07-01 or 2024-07-01T00:00:00Z')
  .refine((s) => Number.isFinite(Date.parse(s)) && isCalendarDate(s.slice(0, 10)), 'not a valid calendar date')
  .transform((s) => new Date(Date.parse(s)).toISOString());

const driftZod = z.strictObject({
  /** The drift switch: false gives one stationary world. */
  enabled: z.boolean().default(true),
  /** From this instant on, customers are observed under the drifted regime. */
  at: instant.prefault('2024-07-01T00:00:00Z'),
  /** Feature distributions change: a price rise, a new region, fewer sessions, more support tickets. */
  covariate: z.boolean().default(true),
  /** The true churn function changes: customers grow more sensitive to price and to support tickets. */
  concept: z.boolean().default(true),
});

const configZod = z.strictObject({
  /** Seed of every random stream; the same seed gives byte-identical files. */
  seed: z.number().int().min(0).max(4294967295).default(42),
  /** Number of customers, each observed once. */
  customers: z.number().int().min(10).max(1_000_000).default(5000),
  /** Observation dates are spread uniformly over [start, end). */
  start: instant.prefault('2024-01-01T00:00:00Z'),
  end: instant.prefault('2025-01-01T00:00:00Z'),
  /** A customer churns when they cancel within this many days after their observation date. */
  horizonDays: z.number().int().min(1).max(365).default(30),
  /** Mean of the exponential extra delay before a label is known, in days. */
  labelDelayDays: z.number().min(0).max(365).default(7),
  /** Share of cells blanked in the dirty columns of customers.csv (region, age; half as many in monthly_charges). */
  nullRate: z.number().min(0).max(0.5).default(0.01),
  /** Share of `plan` cells written with stray spaces around the value (ingest trims them). */
  paddedRate: z.number().min(0).max(0.5).default(0.002),
  /** Format of the event log file. */
  eventsFormat: z.enum(EVENTS_FORMATS).default('parquet'),
  drift: driftZod.prefault({}),
});

/** The input accepted by churnWorldConfig: every key optional, unknown keys rejected. */
export type ChurnWorldConfigInput = z.input<typeof configZod>;

/**
 * A resolved, frozen configuration of the synthetic churn world. Instants are normalized ISO-8601 strings in UTC;
 * durations are in days. The defaults make ~5,000 customers observed during 2024, with drift from 2024-07-01.
 */
export type ChurnWorldConfig = z.output<typeof configZod>;

/**
 * Validates world options and fills in the defaults (documented in docs/synthetic-world.md).
 *
 * @throws LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID naming the option (`details.field`, e.g. `drift.at`): a value out of
 *   range, an unknown key, `end` not after `start`, or an enabled drift date outside (start, end).
 * @example
 * const config = churnWorldConfig({ seed: 7, customers: 1000, drift: { concept: false } });
 */
export function churnWorldConfig(input: unknown = {}): ChurnWorldConfig {
  const parsed = configZod.safeParse(input ?? {});
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'config');
    throw invalidOption(field, problem);
  }
  const config = parsed.data;
  const start = Date.parse(config.start);
  const end = Date.parse(config.end);
  if (!(end > start)) throw invalidOption('end', `it must be after start (${config.start})`);
  const at = Date.parse(config.drift.at);
  if (config.drift.enabled && !(at > start && at < end)) {
    throw invalidOption('drift.at', `it must lie strictly between start (${config.start}) and end (${config.end})`);
  }
  return Object.freeze({ ...config, drift: Object.freeze({ ...config.drift }) });
}

/** True when `YYYY-MM-DD` names a real day (Date.parse would roll 2024-02-30 over to March 1). */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** @internal The coded error for a bad option. */
export function invalidOption(field: string, problem: string): LoomError {
  return new LoomError('DATA_SYNTHETIC_CONFIG_INVALID', { field, problem }, { details: { field } });
}
