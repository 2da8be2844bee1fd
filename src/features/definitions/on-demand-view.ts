import { z } from 'zod';
import { sha256Hex } from '../../core/hashing.js';
import { LoomError } from '../../core/errors/index.js';
import { invalidDefinition, NAME_PATTERN, NAME_RULE, parseDefinition } from './definition-error.js';
import { FEATURE_TYPES, type FeatureType } from './feature-types.js';
import type { FeatureField } from './feature-view.js';

/** A value an on-demand transform reads or returns: float/int → number, bool → boolean, string, timestamp → Date. */
export type FeatureValue = number | boolean | string | Date | null;

/** The row a transform sees: request columns and input features by name. */
export type OnDemandInput = Readonly<Record<string, FeatureValue>>;

/** What `onDemandView()` takes. */
export interface OnDemandViewInput {
  readonly name: string;
  /** Columns that come with the request (offline: columns of the entity rows), with their types. */
  readonly request?: Readonly<Record<string, FeatureType>>;
  /** Features of other views it reads, as refs `view:feature`; the transform sees them by feature name. */
  readonly inputs?: readonly string[];
  readonly features: Readonly<Record<string, FeatureType>>;
  /**
   * Computes the features of one row. Must be pure and synchronous: it runs per row offline and per request online,
   * and both paths call it through computeOnDemand. Return null for a missing value.
   */
  readonly transform: (row: OnDemandInput) => Readonly<Record<string, FeatureValue>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly owner?: string;
  readonly description?: string;
}

/** A validated, frozen on-demand view. */
export interface OnDemandView {
  readonly kind: 'on-demand-view';
  readonly name: string;
  readonly request: readonly FeatureField[];
  readonly inputs: readonly string[];
  readonly features: readonly FeatureField[];
  readonly transform: (row: OnDemandInput) => Readonly<Record<string, FeatureValue>>;
  /** SHA-256 of the transform's source text: part of the version, so editing the code makes a new version. */
  readonly transformSha256: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;
  readonly description: string;
}

const REF = /^[A-Za-z][A-Za-z0-9_]*:[A-Za-z][A-Za-z0-9_]*$/;

const onDemandSchema = z.strictObject({
  name: z.string().regex(NAME_PATTERN, NAME_RULE),
  request: z.record(z.string().regex(NAME_PATTERN, NAME_RULE), z.enum(FEATURE_TYPES)).default({}),
  inputs: z.array(z.string().regex(REF, 'write inputs as "view:feature"')).default([]),
  features: z.record(z.string().regex(NAME_PATTERN, NAME_RULE), z.enum(FEATURE_TYPES)).refine((f) => Object.keys(f).length > 0, 'declare at least one feature'),
  transform: z.custom<OnDemandView['transform']>((f) => typeof f === 'function', 'expected a function (row) => ({ feature: value })'),
  tags: z.record(z.string(), z.string()).default({}),
  owner: z.string().default(''),
  description: z.string().default(''),
});

/**
 * Declares features computed at request time from request data and other features, by one function used both
 * offline (per entity row of a training set) and online (per request).
 *
 * @throws LOOM_ERR_FEATURES_INVALID_DEFINITION naming the field
 * @example
 * const ratio = onDemandView({
 *   name: 'order_ratio',
 *   request: { amount: 'float' },
 *   inputs: ['customer_stats:monthly_spend'],
 *   features: { amount_share: 'float' },
 *   transform: (row) => ({ amount_share: row.monthly_spend ? (row.amount as number) / (row.monthly_spend as number) : null }),
 * });
 */
export function onDemandView(input: OnDemandViewInput): OnDemandView {
  const object = `on-demand view "${(input as { name?: unknown })?.name ?? '?'}"`;
  const v = parseDefinition(onDemandSchema, input, object);
  const seen = new Set<string>();
  for (const name of [...Object.keys(v.request), ...v.inputs.map((r) => r.split(':')[1])]) {
    if (seen.has(name)) throw invalidDefinition(object, 'inputs', `the transform would see "${name}" twice; request columns and input feature names must differ`);
    seen.add(name);
  }
  const fields = (r: Record<string, FeatureType>): readonly FeatureField[] => Object.freeze(Object.entries(r).map(([name, type]) => Object.freeze({ name, type })));
  return Object.freeze({
    kind: 'on-demand-view' as const,
    name: v.name,
    request: fields(v.request),
    inputs: Object.freeze([...v.inputs]),
    features: fields(v.features),
    transform: v.transform,
    transformSha256: sha256Hex(v.transform.toString()),
    tags: Object.freeze({ ...v.tags }),
    owner: v.owner,
    description: v.description,
  });
}

/**
 * Runs an on-demand view's transform on one row and checks its output: every declared feature present, each a value
 * of its declared type or null (a non-finite number becomes null). Offline retrieval and online serving both call this.
 *
 * @param rowLabel names the row in errors (offline: its 0-based position in the entity rows).
 * @throws LOOM_ERR_FEATURES_ON_DEMAND_FAILED
 */
export function computeOnDemand(view: OnDemandView, row: OnDemandInput, rowLabel: string | number = 0): Record<string, FeatureValue> {
  let raw: Readonly<Record<string, FeatureValue>>;
  try {
    raw = view.transform(row);
  } catch (err) {
    throw new LoomError('FEATURES_ON_DEMAND_FAILED', { view: view.name, row: rowLabel, problem: `the transform threw: ${(err as Error)?.message ?? String(err)}` }, { cause: err, details: { field: view.name } });
  }
  if (raw === null || typeof raw !== 'object') {
    throw new LoomError('FEATURES_ON_DEMAND_FAILED', { view: view.name, row: rowLabel, problem: 'the transform did not return an object' }, { details: { field: view.name } });
  }
  const out: Record<string, FeatureValue> = {};
  for (const f of view.features) {
    const value = raw[f.name];
    if (value === undefined) {
      throw new LoomError('FEATURES_ON_DEMAND_FAILED', { view: view.name, row: rowLabel, problem: `feature "${f.name}" is missing from the result` }, { details: { field: `${view.name}:${f.name}` } });
    }
    out[f.name] = checkValue(view.name, f, value, rowLabel);
  }
  return out;
}

function checkValue(view: string, f: FeatureField, value: FeatureValue, rowLabel: string | number): FeatureValue {
  if (value === null) return null;
  const ok =
    f.type === 'float' ? typeof value === 'number' : f.type === 'int' ? typeof value === 'number' && (Number.isInteger(value) || !Number.isFinite(value)) : f.type === 'bool' ? typeof value === 'boolean' : f.type === 'string' ? typeof value === 'string' : value instanceof Date;
  if (!ok) {
    throw new LoomError('FEATURES_ON_DEMAND_FAILED', { view, row: rowLabel, problem: `feature "${f.name}" is declared ${f.type} but the transform returned ${JSON.stringify(value)}` }, { details: { field: `${view}:${f.name}` } });
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof Date && Number.isNaN(value.getTime())) return null;
  return value;
}
