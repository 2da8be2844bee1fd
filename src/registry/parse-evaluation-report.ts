import { z } from 'zod';
import { LoomError } from '../core/errors/index.js';
import { firstIssue } from '../core/zod-issue.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';

// JSON has no NaN: an undefined metric (AUC on a one-class slice) is written as null and read back as NaN.
const value = z.number().nullable().transform((v) => (v === null ? Number.NaN : v));
const estimate = z.looseObject({ value, ci: z.tuple([z.number(), z.number()]).nullable(), level: z.number().gt(0).lt(1) });
const metrics = z.record(z.string(), estimate);

// Only the fields gates and the registry read are checked; the evaluator may add more (they are kept as they are).
const reportZod = z.looseObject({
  format: z.literal('loom.evaluation/1'),
  task: z.enum(['binary', 'multiclass', 'regression', 'ranking']),
  model: z.looseObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), name: z.string().optional(), version: z.number().int().optional() }),
  data: z.looseObject({ ref: z.string().min(1), rows: z.number().int().nonnegative() }),
  metrics,
  slices: z.array(z.looseObject({ name: z.string(), column: z.string().nullable(), size: z.number().int().nonnegative(), metrics })),
  fairness: z.array(
    z.looseObject({
      sensitive: z.string(),
      groups: z.array(z.looseObject({})),
      demographic_parity_difference: value,
      demographic_parity_ratio: value,
      equal_opportunity_difference: value,
      equalized_odds_difference: value,
    }),
  ),
  costs: z
    .looseObject({
      matrix: z.looseObject({ tn: z.number(), fp: z.number(), fn: z.number(), tp: z.number() }),
      default_threshold: z.number(),
      default_expected_cost: z.number(),
      chosen_threshold: z.number(),
      chosen_expected_cost: z.number(),
    })
    .nullable(),
  created_at: z.iso.datetime({ offset: true }),
});

/**
 * Checks that a parsed JSON value is an evaluation report (format `loom.evaluation/1`) with the fields gates read.
 *
 * @param source names the report in errors (its path).
 * @throws LOOM_ERR_REGISTRY_EVALUATION_INVALID naming the first bad field.
 */
export function parseEvaluationReport(json: unknown, source: string): EvaluationReport {
  const parsed = reportZod.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, 'report');
    throw new LoomError('REGISTRY_EVALUATION_INVALID', { source, field, problem }, { details: { field } });
  }
  return parsed.data as unknown as EvaluationReport;
}

/** Parses report text (the bytes of evaluation.json). @throws LOOM_ERR_REGISTRY_EVALUATION_INVALID */
export function parseEvaluationReportText(text: string, source: string): EvaluationReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LoomError('REGISTRY_EVALUATION_INVALID', { source, field: 'report', problem: `not valid JSON (${(err as Error).message})` }, { cause: err, details: { field: 'report' } });
  }
  return parseEvaluationReport(json, source);
}
