import { LoomError } from '../../../core/errors/index.js';
import { Random } from '../../../core/random.js';
import { GBDT_PARAMS, type GbdtParams } from './gbdt-param-table.js';
import { describeCheck, passesCheck, type ParamSpec } from './param-spec.js';
import { suggestName } from './suggest-name.js';

const SPECS: readonly ParamSpec[] = GBDT_PARAMS;
const BY_NAME = new Map<string, ParamSpec>();
for (const spec of SPECS) {
  BY_NAME.set(spec.name, spec);
  for (const alias of spec.aliases) BY_NAME.set(alias, spec);
}

/** Seeds that `seed` derives, in derivation order (as LightGBM does, when they are not given explicitly). */
const DERIVED_SEEDS = ['data_random_seed', 'bagging_seed', 'feature_fraction_seed'] as const;

/**
 * Validates LightGBM-style parameters and returns every parameter resolved: aliases mapped to names, strings such as
 * CLI `--param key=value` values parsed, defaults filled, checks and cross-parameter rules applied. The input is not
 * modified. Parameter names are case-sensitive, as in LightGBM.
 *
 * @throws LOOM_ERR_GBDT_PARAM_UNKNOWN for a name that is neither a parameter nor an alias (details.field = the name),
 *   LOOM_ERR_GBDT_PARAM_INVALID for a value of the wrong type, outside its check, given twice through aliases, or in
 *   conflict with another parameter (details.field = the parameter name).
 * @example
 * const p = resolveGbdtParams({ objective: 'binary', eta: '0.05', num_leaves: 63 });
 * p.learning_rate; // 0.05
 */
export function resolveGbdtParams(input: Readonly<Record<string, unknown>> = {}): GbdtParams {
  const out: Record<string, unknown> = {};
  const givenAs = new Map<string, string>();
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const spec = BY_NAME.get(key);
    if (spec === undefined) {
      const suggestion = suggestName(key, [...BY_NAME.keys()]);
      throw new LoomError(
        'GBDT_PARAM_UNKNOWN',
        { param: key, suggestion: suggestion === null ? '' : ` Did you mean "${suggestion}"?`, known: SPECS.map((s) => s.name).join(', ') },
        { details: { field: key } },
      );
    }
    const earlier = givenAs.get(spec.name);
    if (earlier !== undefined) invalid(spec, raw, `it is already given as "${earlier}"; give it once`);
    givenAs.set(spec.name, key);
    out[spec.name] = parseValue(spec, raw);
  }
  for (const spec of SPECS) if (!(spec.name in out)) out[spec.name] = spec.default;
  deriveSeeds(out, givenAs);
  const params = Object.freeze(out) as unknown as GbdtParams;
  checkCombinations(params);
  return params;
}

function parseValue(spec: ParamSpec, raw: unknown): unknown {
  if (raw === null) {
    if (spec.nullable === true) return null;
    invalid(spec, raw, 'it has no "None" value');
  }
  if (spec.nullable === true && typeof raw === 'string' && /^(none|null)$/i.test(raw.trim())) return null;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) invalid(spec, raw, `expected a finite ${spec.kind === 'int' ? 'integer' : 'number'}`);
      if (spec.kind === 'int' && !Number.isInteger(value)) invalid(spec, raw, 'expected an integer');
      if (!passesCheck(value, spec.check)) invalid(spec, raw, `it must be ${describeCheck(spec.check)}`);
      return value;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw.trim())) return /^(true|1)$/i.test(raw.trim());
      return invalid(spec, raw, 'expected true or false');
    }
    case 'enum': {
      if (typeof raw !== 'string') return invalid(spec, raw, `expected one of ${spec.options!.join(', ')}`);
      return parseOption(spec, raw.trim(), raw);
    }
    case 'string': {
      if (typeof raw !== 'string') {
        const sizes = spec.name === 'group_column' && Array.isArray(raw) ? '; group sizes go in the `group` option of trainGbdt or GbdtMatrix.group, not in params' : '';
        return invalid(spec, raw, `expected a column name${sizes}`);
      }
      return raw.trim();
    }
    case 'int-list':
    case 'float-list': {
      const items = listItems(spec, raw);
      const integers = spec.kind === 'int-list';
      return Object.freeze(items.map((item) => {
        const value = typeof item === 'string' && item.trim() !== '' ? Number(item.trim()) : item;
        if (typeof value !== 'number' || !Number.isFinite(value) || (integers && !Number.isInteger(value))) return invalid(spec, raw, `expected a list of ${integers ? 'integers' : 'finite numbers'}`);
        return value;
      }));
    }
    case 'string-list': {
      const items = listItems(spec, raw).map((item) => {
        if (typeof item === 'number' && Number.isInteger(item)) return String(item);
        if (typeof item !== 'string') return invalid(spec, raw, 'expected a list of names or indices');
        return item.trim();
      });
      const values = spec.options === undefined ? items : items.map((item) => parseOption(spec, item, raw));
      return Object.freeze([...new Set(values)]);
    }
  }
}

function parseOption(spec: ParamSpec, value: string, raw: unknown): string {
  const resolved = spec.valueAliases?.[value] ?? value;
  if (!spec.options!.includes(resolved)) invalid(spec, raw, `expected one of ${spec.options!.join(', ')}`);
  return resolved;
}

function listItems(spec: ParamSpec, raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string') return raw.trim() === '' ? [] : raw.split(',');
  if (typeof raw === 'number') return [raw];
  return invalid(spec, raw, 'expected a list (array or comma-separated string)');
}

function deriveSeeds(out: Record<string, unknown>, givenAs: ReadonlyMap<string, string>): void {
  const seed = out.seed;
  if (typeof seed !== 'number') return;
  const rng = new Random(seed);
  for (const name of DERIVED_SEEDS) {
    const derived = rng.nextInt(32768);
    if (!givenAs.has(name)) out[name] = derived;
  }
}

function checkCombinations(p: GbdtParams): void {
  if (p.objective === 'multiclass' && p.num_class < 2) invalid(spec('num_class'), p.num_class, 'objective multiclass needs num_class >= 2');
  if (p.objective !== 'multiclass' && p.num_class !== 1) invalid(spec('num_class'), p.num_class, `objective ${p.objective} needs num_class = 1`);
  if (p.objective === 'quantile' && !(p.alpha < 1)) invalid(spec('alpha'), p.alpha, 'objective quantile needs 0 < alpha < 1');
  if (p.is_unbalance && p.scale_pos_weight !== 1) invalid(spec('is_unbalance'), p.is_unbalance, 'is_unbalance and scale_pos_weight cannot be used together');
  for (const value of p.monotone_constraints) {
    if (value < -1 || value > 1) invalid(spec('monotone_constraints'), p.monotone_constraints.join(','), 'each value must be -1, 0 or 1');
  }
  if (p.data_sample_strategy === 'goss') {
    if (p.top_rate + p.other_rate > 1) invalid(spec('top_rate'), p.top_rate, 'top_rate + other_rate must be <= 1');
    if (p.top_rate <= 0 || p.other_rate <= 0) invalid(spec('other_rate'), p.other_rate, 'GOSS needs top_rate > 0 and other_rate > 0');
    if (p.bagging_freq > 0 && p.bagging_fraction < 1) invalid(spec('data_sample_strategy'), 'goss', 'GOSS cannot be combined with bagging (bagging_freq > 0 and bagging_fraction < 1)');
  }
  for (const k of p.eval_at) if (k <= 0) invalid(spec('eval_at'), p.eval_at.join(','), 'each position must be > 0');
  if (p.metric.includes('none') && p.metric.length > 1) invalid(spec('metric'), p.metric.join(','), '"none" cannot be combined with other metrics');
}

function spec(name: string): ParamSpec {
  return BY_NAME.get(name)!;
}

function invalid(spec: ParamSpec, raw: unknown, problem: string): never {
  const value = typeof raw === 'string' ? `"${raw}"` : Array.isArray(raw) ? `[${raw.join(', ')}]` : String(raw);
  throw new LoomError('GBDT_PARAM_INVALID', { param: spec.name, value, problem }, { details: { field: spec.name } });
}
