import { LoomError } from '../../core/errors/index.js';
import type { Outcome } from '../../deployment/deployment.js';
import type { RouteAnswer, RouteCall, ServingContext } from '../serving-context.js';

/** Most outcomes one feedback request may carry. */
export const MAX_FEEDBACK_OUTCOMES = 10_000;
/** Most clicked positions one interleaving outcome may list. */
const MAX_POSITIONS = 10_000;
const OUTCOME_KEYS = ['request_id', 'outcome', 'value', 'timestamp'] as const;
const OUTCOME_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * POST /v1/feedback with `{request_id, outcome, value?, timestamp}`, or `{outcomes: [{…}, …]}` for a batch (up to
 * 10,000). `request_id` is the id a predict response returned; `outcome` names what happened (`conversion`,
 * `click`, …); `value` is a finite number, or a list of clicked positions (0-based) for interleaving; `timestamp` is
 * when it happened (epoch ms or ISO-8601). Answers 200 `{accepted, duplicates}` only after the outcomes are committed
 * to the metadata store, so an acknowledged outcome is never lost. Outcomes may arrive days after the prediction, or
 * before its assignment is written; a repeated (request_id, outcome) is accepted once and counted as a duplicate.
 */
export async function loomFeedback(ctx: ServingContext, call: RouteCall): Promise<RouteAnswer> {
  if (ctx.deployments === null) throw new LoomError('DEPLOY_FEEDBACK_UNAVAILABLE', {}, { details: { field: '(server)' } });
  const outcomes = parseFeedback(call.body);
  const { inserted, duplicates } = await ctx.deployments.store.recordOutcomes(outcomes);
  return { statusCode: 200, body: { accepted: inserted, duplicates } };
}

/**
 * Validates a feedback body into outcomes.
 * @throws LOOM_ERR_DEPLOY_INVALID_FEEDBACK naming the field
 */
export function parseFeedback(body: unknown): Outcome[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('(body)', 'it must be a JSON object');
  const o = body as Record<string, unknown>;
  if (Object.hasOwn(o, 'outcomes')) {
    const keys = Object.keys(o).filter((k) => k !== 'outcomes');
    if (keys.length > 0) throw invalid(keys[0], 'a batch body holds only "outcomes"');
    const list = o.outcomes;
    if (!Array.isArray(list) || list.length === 0) throw invalid('outcomes', 'it must be a non-empty array of outcomes');
    if (list.length > MAX_FEEDBACK_OUTCOMES) throw invalid('outcomes', `it holds ${list.length} outcomes; send at most ${MAX_FEEDBACK_OUTCOMES} per request`);
    return list.map((item, i) => parseOutcome(item, `outcomes[${i}].`));
  }
  return [parseOutcome(o, '')];
}

function parseOutcome(item: unknown, prefix: string): Outcome {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(prefix.slice(0, -1) || '(body)', 'it must be an object {request_id, outcome, value?, timestamp}');
  const o = item as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!(OUTCOME_KEYS as readonly string[]).includes(key)) throw invalid(`${prefix}${key}`, `it is not a feedback field (${OUTCOME_KEYS.join(', ')})`);
  const requestId = o.request_id;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 128) throw invalid(`${prefix}request_id`, 'it must be the request id of a predict response (a string of 1 to 128 characters)');
  const outcome = o.outcome;
  if (typeof outcome !== 'string' || !OUTCOME_NAME.test(outcome)) throw invalid(`${prefix}outcome`, 'it must name the outcome: letters, digits, "_", ".", ":" or "-" (1 to 128)');
  return { requestId, outcome, value: parseValue(o.value, `${prefix}value`), timestamp: parseTimestamp(o.timestamp, `${prefix}timestamp`) };
}

function parseValue(v: unknown, field: string): number | number[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalid(field, 'it must be a finite number');
    return v;
  }
  if (Array.isArray(v)) {
    if (v.length > MAX_POSITIONS) throw invalid(field, `it lists ${v.length} positions; at most ${MAX_POSITIONS}`);
    for (const p of v) if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0) throw invalid(field, 'clicked positions must be whole numbers ≥ 0');
    return [...new Set(v as number[])].sort((a, b) => a - b);
  }
  throw invalid(field, 'it must be a number, a list of clicked positions, or absent');
}

function parseTimestamp(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalid(field, 'it must be when the outcome happened: epoch milliseconds or an ISO-8601 date-time');
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('DEPLOY_INVALID_FEEDBACK', { field, problem }, { details: { field } });
}
