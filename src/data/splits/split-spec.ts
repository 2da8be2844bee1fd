import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';

/** Rows in a random order, cut by fractions. */
export interface RandomSplitSpec {
  readonly kind: 'random';
  readonly fractions: readonly number[];
  readonly seed: number;
}
/** Each class of `column` is cut by the fractions separately, so every part keeps the class proportions (±1 row). */
export interface StratifiedSplitSpec {
  readonly kind: 'stratified';
  readonly column: string;
  readonly fractions: readonly number[];
  readonly seed: number;
}
/** Whole groups (equal values of `column`) go to one part, so no group is in two parts. */
export interface GroupSplitSpec {
  readonly kind: 'group';
  readonly column: string;
  readonly fractions: readonly number[];
  readonly seed: number;
}
/**
 * Rows ordered by the timestamp `column`: cut by `fractions` of the rows, or at `cutoffs` (epoch ms, ascending;
 * part k holds cutoffs[k-1] ≤ t < cutoffs[k]). Every timestamp in a part is ≤ every timestamp in the next part.
 */
export interface TimeSplitSpec {
  readonly kind: 'time';
  readonly column: string;
  readonly fractions?: readonly number[];
  readonly cutoffs?: readonly number[];
}

/** How to split a dataset; a `kind`-discriminated union. Deterministic: the same spec and data give the same parts. */
export type SplitSpec = RandomSplitSpec | StratifiedSplitSpec | GroupSplitSpec | TimeSplitSpec;

const fractions = z.array(z.number().gt(0).lt(1)).min(1);
const seed = z.number().int().nonnegative();
const specZod = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('random'), fractions, seed }),
  z.strictObject({ kind: z.literal('stratified'), column: z.string().min(1), fractions, seed }),
  z.strictObject({ kind: z.literal('group'), column: z.string().min(1), fractions, seed }),
  z.strictObject({ kind: z.literal('time'), column: z.string().min(1), fractions: fractions.optional(), cutoffs: z.array(z.number()).min(1).optional() }),
]);

/** Companion of SplitSpec: validation and type guard. */
export const SplitSpec = {
  /**
   * Validates a spec (from JSON or CLI options) and freezes it. Fractions lie in (0, 1) and sum to at most 1 (rows
   * beyond the sum are left out); a time split takes fractions or ascending cutoffs, not both.
   * @throws LOOM_ERR_DATA_INVALID_SPLIT naming the option
   */
  create(value: unknown): SplitSpec {
    const parsed = specZod.safeParse(value);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'kind');
      throw invalid(field, problem);
    }
    const spec = parsed.data as SplitSpec;
    const f = spec.kind === 'time' ? spec.fractions : spec.fractions;
    if (f && f.reduce((a, b) => a + b, 0) > 1 + 1e-9) throw invalid('fractions', `they sum to ${f.reduce((a, b) => a + b, 0)}, more than 1`);
    if (spec.kind === 'time') {
      if ((spec.fractions === undefined) === (spec.cutoffs === undefined)) throw invalid('fractions', 'a time split needs either fractions or cutoffs');
      const c = spec.cutoffs ?? [];
      for (let i = 1; i < c.length; i++) if (!(c[i] > c[i - 1])) throw invalid('cutoffs', 'cutoffs must be strictly ascending');
    }
    return Object.freeze({ ...spec, ...('fractions' in spec && spec.fractions ? { fractions: Object.freeze([...spec.fractions]) } : {}) }) as SplitSpec;
  },
  /** True when `value` is a valid SplitSpec. */
  is(value: unknown): value is SplitSpec {
    return specZod.safeParse(value).success;
  },
  /** How many parts the spec makes. */
  partCount(spec: SplitSpec): number {
    return spec.kind === 'time' && spec.cutoffs ? spec.cutoffs.length + 1 : (spec.fractions ?? []).length;
  },
};

/** @internal */
export function invalid(field: string, problem: string): LoomError {
  return new LoomError('DATA_INVALID_SPLIT', { field, problem }, { details: { field } });
}
