import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';

/** A param value a trial can take. */
export type TrialValue = number | string | boolean;

/** One trial's params: name → value, only for the params active in that trial. */
export type TrialParams = Readonly<Record<string, TrialValue>>;

/**
 * A search-space distribution; a `kind`-discriminated union.
 * - `uniform`: a float in [low, high]; `grid` points (default 5) when a grid sampler walks it.
 * - `log_uniform`: a float in [low, high] (low > 0), uniform in log space.
 * - `int`: an integer low, low + step, …, ≤ high; `log` samples it uniformly in log space (step must be 1).
 * - `categorical`: one of `choices` (numbers, strings or booleans).
 * - `conditional`: `param` is present only when the param `parent` takes one of `values` (nesting allowed).
 */
export type Distribution =
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number; readonly grid?: number }
  | { readonly kind: 'log_uniform'; readonly low: number; readonly high: number; readonly grid?: number }
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly step?: number; readonly log?: boolean }
  | { readonly kind: 'categorical'; readonly choices: readonly TrialValue[] }
  | { readonly kind: 'conditional'; readonly parent: string; readonly values: readonly TrialValue[]; readonly param: Distribution };

/** A distribution that draws a value (every kind but `conditional`). */
export type BaseDistribution = Exclude<Distribution, { kind: 'conditional' }>;

/** A searched param after validation: its base distribution and the conditions (outermost first) that activate it. */
export interface SearchParam {
  readonly name: string;
  readonly distribution: BaseDistribution;
  readonly conditions: readonly { readonly parent: string; readonly values: readonly TrialValue[] }[];
}

/**
 * A validated search space: the searched params in an order where every parent comes before its children, and the
 * fixed params (plain JSON values) passed to every trial unchanged.
 */
export interface SearchSpace {
  readonly params: readonly SearchParam[];
  readonly fixed: TrialParams;
}

const value = z.union([z.number(), z.string(), z.boolean()]);
const finite = z.number().finite();
const distributionZod: z.ZodType<Distribution> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('uniform'), low: finite, high: finite, grid: z.number().int().min(2).max(1000).optional() }),
    z.strictObject({ kind: z.literal('log_uniform'), low: finite, high: finite, grid: z.number().int().min(2).max(1000).optional() }),
    z.strictObject({ kind: z.literal('int'), low: z.number().int(), high: z.number().int(), step: z.number().int().min(1).optional(), log: z.boolean().optional() }),
    z.strictObject({ kind: z.literal('categorical'), choices: z.array(value) }),
    z.strictObject({ kind: z.literal('conditional'), parent: z.string().min(1), values: z.array(value).min(1), param: distributionZod }),
  ]),
);
const spaceZod = z.record(z.string().min(1), z.union([value, distributionZod]));

/** Companion of SearchSpace: validation from JSON and activity checks. */
export const SearchSpace = {
  /**
   * Validates a search space given as JSON: an object of param name → distribution (an object with `kind`) or a fixed
   * value (a number, string or boolean).
   *
   * @throws LOOM_ERR_TUNING_INVALID_SPACE naming the field, LOOM_ERR_TUNING_EMPTY_RANGE for a range holding no value
   * @example
   * const space = SearchSpace.create({ num_iterations: 50, learning_rate: { kind: 'log_uniform', low: 0.01, high: 0.3 } });
   */
  create(json: unknown): SearchSpace {
    const parsed = spaceZod.safeParse(json);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'space');
      throw new LoomError('TUNING_INVALID_SPACE', { field, problem }, { details: { field } });
    }
    const fixed: Record<string, TrialValue> = {};
    const raw = new Map<string, SearchParam>();
    for (const [name, entry] of Object.entries(parsed.data)) {
      if (typeof entry !== 'object') {
        fixed[name] = entry;
        continue;
      }
      const conditions: { parent: string; values: readonly TrialValue[] }[] = [];
      let d: Distribution = entry;
      while (d.kind === 'conditional') {
        conditions.push({ parent: d.parent, values: d.values });
        d = d.param;
      }
      checkRange(name, d);
      raw.set(name, { name, distribution: Object.freeze(d), conditions: Object.freeze(conditions) });
    }
    if (raw.size === 0) throw new LoomError('TUNING_INVALID_SPACE', { field: 'space', problem: 'it declares no distribution to search' }, { details: { field: 'space' } });
    return Object.freeze({ params: Object.freeze(order(raw)), fixed: Object.freeze(fixed) });
  },

  /** Whether `param` is active given the values drawn so far for its parents. */
  isActive(param: SearchParam, drawn: TrialParams): boolean {
    return param.conditions.every((c) => c.parent in drawn && c.values.some((v) => v === drawn[c.parent]));
  },
};

function checkRange(name: string, d: BaseDistribution): void {
  const empty = (problem: string): never => {
    throw new LoomError('TUNING_EMPTY_RANGE', { field: name, problem }, { details: { field: name } });
  };
  if (d.kind === 'categorical') {
    if (d.choices.length === 0) empty('choices is empty');
    if (new Set(d.choices).size !== d.choices.length) throw new LoomError('TUNING_INVALID_SPACE', { field: `${name}.choices`, problem: 'a choice appears twice' }, { details: { field: `${name}.choices` } });
    return;
  }
  if (!(d.low <= d.high)) empty(`low ${d.low} is above high ${d.high}`);
  if (d.kind !== 'int' && d.low === d.high) empty(`low equals high (${d.low}); use a fixed value instead`);
  if ((d.kind === 'log_uniform' || (d.kind === 'int' && d.log === true)) && d.low <= 0) empty(`a log scale needs low > 0, got ${d.low}`);
  if (d.kind === 'int' && d.log === true && (d.step ?? 1) !== 1) {
    throw new LoomError('TUNING_INVALID_SPACE', { field: `${name}.step`, problem: 'a log-scaled int takes no step' }, { details: { field: `${name}.step` } });
  }
}

/** Parents before children; a parent must be a searched categorical or int param, and conditions must not cycle. */
function order(raw: Map<string, SearchParam>): SearchParam[] {
  const out: SearchParam[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: SearchParam): void => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') throw new LoomError('TUNING_INVALID_SPACE', { field: p.name, problem: 'its conditions form a cycle' }, { details: { field: p.name } });
    state.set(p.name, 'visiting');
    for (const c of p.conditions) {
      const parent = raw.get(c.parent);
      if (parent === undefined) {
        throw new LoomError('TUNING_INVALID_SPACE', { field: `${p.name}.parent`, problem: `"${c.parent}" is not a searched param` }, { details: { field: `${p.name}.parent` } });
      }
      if (parent.distribution.kind !== 'categorical' && parent.distribution.kind !== 'int') {
        throw new LoomError('TUNING_INVALID_SPACE', { field: `${p.name}.parent`, problem: `"${c.parent}" is ${parent.distribution.kind}; a parent must be categorical or int` }, { details: { field: `${p.name}.parent` } });
      }
      visit(parent);
    }
    state.set(p.name, 'done');
    out.push(p);
  };
  for (const p of raw.values()) visit(p);
  return out;
}
