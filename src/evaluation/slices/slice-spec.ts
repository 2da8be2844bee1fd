import { LoomError } from '../../core/errors/index.js';

/** Comparison operators of a condition slice. */
export type SliceOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * How to cut the evaluation rows into slices; a `kind`-discriminated union.
 * - `value`: one slice per distinct value of a column (nulls form the slice `(missing)`);
 * - `bins`: a numeric column cut at `edges` (slice k holds edges[k-1] ≤ x < edges[k], plus one open slice at each end)
 *   or into `bins` quantile bins;
 * - `condition`: the rows where `column op value` holds (a predicate written as data, e.g. `age >= 60`);
 * - `predicate`: the rows where a function of the row index is true (library use; not serializable).
 * - `auto`: `value` for text, bool and low-cardinality numbers, 4 quantile `bins` for other numeric columns.
 */
export type SliceSpec =
  | { readonly kind: 'value'; readonly column: string }
  | { readonly kind: 'bins'; readonly column: string; readonly edges?: readonly number[]; readonly bins?: number }
  | { readonly kind: 'condition'; readonly column: string; readonly op: SliceOperator; readonly value: string | number }
  | { readonly kind: 'predicate'; readonly name: string; readonly test: (row: number) => boolean }
  | { readonly kind: 'auto'; readonly column: string };

/**
 * Parses the CLI's `--slice` text: `col` (auto), `col:0,12,24` (bin edges), `col:q4` (4 quantile bins), or a
 * condition `col>=60`, `plan=pro`, `plan!=basic`.
 * @throws LOOM_ERR_EVAL_INVALID_OPTION for malformed text
 */
export function parseSliceOption(text: string): SliceSpec {
  const condition = /^([^<>=!:]+?)\s*(<=|>=|!=|=|<|>)\s*(.+)$/.exec(text);
  if (condition !== null) {
    const raw = condition[3].trim();
    const value = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return { kind: 'condition', column: condition[1].trim(), op: condition[2] as SliceOperator, value };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    if (text.trim() === '') throw invalid(text, 'it is empty');
    return { kind: 'auto', column: text.trim() };
  }
  const column = text.slice(0, colon).trim();
  const rest = text.slice(colon + 1).trim();
  const quantiles = /^q(\d+)$/.exec(rest);
  if (quantiles !== null) {
    const bins = Number(quantiles[1]);
    if (bins < 2 || bins > 100) throw invalid(text, 'use between q2 and q100 quantile bins');
    return { kind: 'bins', column, bins };
  }
  const edges = rest.split(',').map((s) => Number(s.trim()));
  if (column === '' || edges.length === 0 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]))) {
    throw invalid(text, 'write col, col:q4, col:edge1,edge2,… (ascending numbers) or a condition such as col>=60');
  }
  return { kind: 'bins', column, edges };
}

function invalid(text: string, problem: string): LoomError {
  return new LoomError('EVAL_INVALID_OPTION', { field: 'slice', problem: `"${text}": ${problem}` }, { details: { field: 'slice' } });
}
