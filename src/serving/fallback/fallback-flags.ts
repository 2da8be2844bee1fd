import { LoomError } from '../../core/errors/index.js';
import type { ServedModel } from '../served-model.js';
import type { FallbackSpec } from './model-fallback.js';

/**
 * The fallbacks of `loom serve --fallback <name=ref>` and `--fallback-default <name=value | name:output=value>`
 * (both repeatable): `--fallback churn=churn@2` answers from version 2 when the served `churn` fails;
 * `--fallback-default churn=0.5` answers 0.5 for every output, `--fallback-default churn:p_yes=0.3` for one output
 * (then every output needs one). Each name must be a model the server serves.
 *
 * @throws LOOM_ERR_SERVING_INVALID_OPTION naming `fallback` or `fallback-default` and what to change
 * @example
 * const fallbacks = fallbacksFromFlags(['churn=churn@2'], ['adult=0.24'], loaded);
 */
export function fallbacksFromFlags(refs: readonly string[], defaults: readonly string[], served: readonly ServedModel[]): Record<string, FallbackSpec> {
  const byName = new Map(served.map((s) => [s.name, s]));
  const out: Record<string, FallbackSpec> = {};
  const model = (field: string, name: string): ServedModel => {
    const found = byName.get(name);
    if (found === undefined) throw invalid(field, `"${name}" is not a model this server serves (${[...byName.keys()].join(', ') || 'none'})`);
    if (out[name] !== undefined && (field === 'fallback' || out[name].model !== undefined)) throw invalid(field, `model "${name}" has a fallback already; give one --fallback or --fallback-default values, not both`);
    return found;
  };
  for (const flag of refs) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1) throw invalid('fallback', `"${flag}" is not name=ref (e.g. churn=churn@2)`);
    const name = flag.slice(0, eq);
    model('fallback', name);
    out[name] = { model: flag.slice(eq + 1) };
  }
  const values = new Map<string, Record<string, number>>();
  for (const flag of defaults) {
    const eq = flag.lastIndexOf('=');
    const value = eq < 0 ? Number.NaN : Number(flag.slice(eq + 1));
    if (eq <= 0 || flag.slice(eq + 1).trim() === '' || !Number.isFinite(value)) throw invalid('fallback-default', `"${flag}" is not name=value or name:output=value with a finite number (e.g. churn=0.5)`);
    const target = flag.slice(0, eq);
    const colon = target.indexOf(':');
    const name = colon < 0 ? target : target.slice(0, colon);
    const served = model('fallback-default', name);
    const outputs = colon < 0 ? served.outputNames : [target.slice(colon + 1)];
    for (const o of outputs) {
      if (!served.outputNames.includes(o)) throw invalid('fallback-default', `model "${name}" has no output "${o}" (outputs: ${served.outputNames.join(', ')})`);
      const entry = values.get(name) ?? {};
      entry[o] = value;
      values.set(name, entry);
    }
  }
  for (const [name, entry] of values) {
    const missing = byName.get(name)!.outputNames.filter((o) => entry[o] === undefined);
    if (missing.length > 0) throw invalid('fallback-default', `model "${name}" needs a default for every output; missing: ${missing.join(', ')}`);
    out[name] = { defaults: entry };
  }
  return out;
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('SERVING_INVALID_OPTION', { field, problem }, { details: { field } });
}
