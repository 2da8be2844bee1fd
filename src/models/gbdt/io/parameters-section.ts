import { isLoomError } from '../../../core/errors/index.js';
import { GBDT_PARAMS, type GbdtParams } from '../params/gbdt-param-table.js';
import { resolveGbdtParams } from '../params/resolve-params.js';
import { modelFormatError } from './model-format-error.js';

const LINE = /^\[([^:\]]+): (.*)\]$/;

/**
 * The `[name: value]` lines of the `parameters:` section for Loom's params, in the order of Loom's parameter table.
 * Booleans are written 0/1 and lists comma-separated, as LightGBM writes them; numbers in their shortest exact form,
 * so Loom reads back the same values. LightGBM keeps this section only for show.
 *
 * @internal
 */
export function formatParameterLines(p: GbdtParams): string[] {
  const values = p as unknown as Readonly<Record<string, unknown>>;
  return GBDT_PARAMS.map((spec) => `[${spec.name}: ${formatValue(values[spec.name])}]`);
}

/**
 * Reads one `[name: value]` line of the parameters section.
 *
 * @throws LOOM_ERR_GBDT_MODEL_FORMAT_INVALID naming `line` for a line of another shape.
 *
 * @internal
 */
export function parseParameterLine(text: string, line: number): [string, string] {
  const match = LINE.exec(text);
  if (match === null) throw modelFormatError(line, 'parameters', `"${text.slice(0, 60)}" is not a [name: value] line`);
  return [match[1], match[2]];
}

/**
 * Loom params for a model read from text: the parameters section's values for names Loom knows, with `fixed` (what
 * the model's header determines, such as the objective) on top. A value Loom would reject (a LightGBM-only option such
 * as `boosting: dart` or `metric: ndcg`) falls back to Loom's default: parameters describe how the model was trained
 * and do not change its predictions.
 *
 * @internal
 */
export function paramsFromSection(section: ReadonlyMap<string, string>, fixed: Readonly<Record<string, unknown>>): GbdtParams {
  const record: Record<string, unknown> = {};
  for (const spec of GBDT_PARAMS) {
    const value = section.get(spec.name);
    if (value !== undefined && value !== '') record[spec.name] = value;
  }
  Object.assign(record, fixed);
  for (;;) {
    try {
      return resolveGbdtParams(record);
    } catch (err) {
      const field = isLoomError(err) ? err.details?.field : undefined;
      if (field === undefined || !(field in record) || field in fixed) throw err;
      delete record[field];
    }
  }
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
