import { LoomError } from '../../../core/errors/index.js';
import { columnValue } from '../../../core/frame/column-ops.js';
import type { Column } from '../../../core/frame/column.js';

/** Most rows one query may have: LightGBM's limit (its NDCG discount table has this many positions). */
export const MAX_QUERY_ROWS = 10000;

/** Group sizes in the forms the library API takes them, as LightGBM's `group`: one positive count per query. */
export type GroupSizes = ArrayLike<number>;

/**
 * Query boundaries from group sizes: `b[q] .. b[q+1]` are the rows of query q, `b[0] = 0`, `b[last] = numRows`.
 *
 * @throws LOOM_ERR_GBDT_GROUP_INVALID when a size is not a positive integer, exceeds MAX_QUERY_ROWS, or the sizes do
 *   not add up to `numRows`.
 */
export function boundariesFromSizes(sizes: GroupSizes, numRows: number, field: string, dataset: string): Int32Array {
  const bounds = new Int32Array(sizes.length + 1);
  let sum = 0;
  for (let q = 0; q < sizes.length; q++) {
    const size = sizes[q];
    if (!Number.isInteger(size) || size <= 0) groupError(field, dataset, `group ${q} has size ${size}; every group size must be a positive integer`);
    if (size > MAX_QUERY_ROWS) groupError(field, dataset, `group ${q} has ${size} rows; a query may have at most ${MAX_QUERY_ROWS} (as in LightGBM); split it`);
    sum += size;
    bounds[q + 1] = sum;
  }
  if (sum !== numRows) groupError(field, dataset, `the ${sizes.length} group sizes add up to ${sum}, but the data has ${numRows} rows; they must add up to the row count`);
  return bounds;
}

/**
 * Query boundaries from a query id column. A new query starts wherever the id changes, as LightGBM reads a query
 * column; unlike LightGBM, an id that comes back after another query is an error, since it almost always means the
 * rows were not sorted by query and the query would silently be split in two.
 *
 * @throws LOOM_ERR_GBDT_GROUP_INVALID for a missing id, an id seen again after another query, an embedding column, or
 *   a query over MAX_QUERY_ROWS rows.
 */
export function boundariesFromColumn(column: Column, dataset: string): Int32Array {
  const field = column.name;
  if (column.type === 'embedding') groupError(field, dataset, 'an embedding column cannot be a query id; use an int, string or category column');
  const starts: number[] = [];
  const seen = new Set<number | boolean | string>();
  let previous: number | boolean | string | null = null;
  for (let i = 0; i < column.length; i++) {
    const value = columnValue(column, i) as number | boolean | string | null;
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) groupError(field, dataset, `row ${i} has no query id; give every row one`);
    if (i > 0 && value === previous) continue;
    if (seen.has(value)) {
      groupError(field, dataset, `query ${JSON.stringify(value)} appears again at row ${i} after other queries; rows of one query must be contiguous, so sort the data by ${field} first (a stable sort keeps each query's row order)`);
    }
    seen.add(value);
    starts.push(i);
    previous = value;
  }
  const bounds = new Int32Array(starts.length + 1);
  for (let q = 0; q < starts.length; q++) bounds[q] = starts[q];
  bounds[starts.length] = column.length;
  for (let q = 0; q < starts.length; q++) {
    const size = bounds[q + 1] - bounds[q];
    if (size > MAX_QUERY_ROWS) groupError(field, dataset, `query ${JSON.stringify(columnValue(column, bounds[q]))} has ${size} rows; a query may have at most ${MAX_QUERY_ROWS} (as in LightGBM)`);
  }
  return bounds;
}

/** @throws LOOM_ERR_GBDT_GROUP_INVALID */
function groupError(field: string, dataset: string, problem: string): never {
  throw new LoomError('GBDT_GROUP_INVALID', { field, dataset, problem }, { details: { field } });
}
