import { LoomError } from '../../../core/errors/index.js';
import { describeCheck, passesCheck, type ParamSpec } from '../../gbdt/params/param-spec.js';
import { suggestName } from '../../gbdt/params/suggest-name.js';

/**
 * Validates parameters against a table of ParamSpec (the same single-definition table format as the GBDT
 * parameters) and returns every parameter resolved and frozen: aliases mapped to names, numeric and boolean strings
 * (as from CLI `--param key=value`) parsed, defaults filled, checks applied. Supports the int, float, bool and enum
 * kinds. `model` names the learner in errors.
 *
 * @throws LOOM_ERR_MODEL_PARAM_UNKNOWN for a name that is neither a parameter nor an alias (details.field = the name),
 *   LOOM_ERR_MODEL_PARAM_INVALID for a value of the wrong type, outside its check, or given twice through aliases
 *   (details.field = the parameter name)
 */
export function resolveModelParams<T>(specs: readonly ParamSpec[], input: Readonly<Record<string, unknown>>, model: string): T {
  const byName = new Map<string, ParamSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases) byName.set(alias, spec);
  }
  const out: Record<string, unknown> = {};
  const givenAs = new Map<string, string>();
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const spec = byName.get(key);
    if (spec === undefined) {
      const suggestion = suggestName(key, [...byName.keys()]);
      throw new LoomError(
        'MODEL_PARAM_UNKNOWN',
        { model, param: key, suggestion: suggestion === null ? '' : ` Did you mean "${suggestion}"?`, known: specs.map((s) => s.name).join(', ') },
        { details: { field: key } },
      );
    }
    const earlier = givenAs.get(spec.name);
    if (earlier !== undefined) invalid(model, spec, raw, `it is already given as "${earlier}"; give it once`);
    givenAs.set(spec.name, key);
    out[spec.name] = parseValue(model, spec, raw);
  }
  for (const spec of specs) if (!(spec.name in out)) out[spec.name] = spec.default;
  return Object.freeze(out) as T;
}

function parseValue(model: string, spec: ParamSpec, raw: unknown): unknown {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(model, spec, raw, `expected a finite ${spec.kind === 'int' ? 'integer' : 'number'}`);
      if (spec.kind === 'int' && !Number.isInteger(value)) return invalid(model, spec, raw, 'expected an integer');
      if (!passesCheck(value, spec.check)) return invalid(model, spec, raw, `it must be ${describeCheck(spec.check)}`);
      return value;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw.trim())) return /^(true|1)$/i.test(raw.trim());
      return invalid(model, spec, raw, 'expected true or false');
    }
    case 'enum': {
      const value = typeof raw === 'string' ? (spec.valueAliases?.[raw.trim()] ?? raw.trim()) : raw;
      if (typeof value !== 'string' || !spec.options!.includes(value)) return invalid(model, spec, raw, `expected one of ${spec.options!.join(', ')}`);
      return value;
    }
    default:
      return invalid(model, spec, raw, `parameters of kind ${spec.kind} are not supported here`);
  }
}

/** Throws LOOM_ERR_MODEL_PARAM_INVALID for `spec`. */
export function invalid(model: string, spec: Pick<ParamSpec, 'name'>, raw: unknown, problem: string): never {
  const value = typeof raw === 'string' ? `"${raw}"` : String(raw);
  throw new LoomError('MODEL_PARAM_INVALID', { model, param: spec.name, value, problem }, { details: { field: spec.name } });
}
