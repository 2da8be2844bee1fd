/** Where a filter field lives: a run attribute, its latest metrics, params, tags, or lineage datasets. */
export type FieldScope = 'attributes' | 'metrics' | 'params' | 'tags' | 'datasets';

/** A field reference such as `metrics.auc` or `status`. `position` is its 0-based offset in the query text. */
export interface FieldRef {
  readonly scope: FieldScope;
  readonly key: string;
  readonly position: number;
}

/** A literal: a number, or text (quoted in the query). */
export type Literal = { readonly kind: 'number'; readonly value: number; readonly position: number } | { readonly kind: 'string'; readonly value: string; readonly position: number };

/** A comparison operator. `!=` is also written `<>`; `=` also `==`. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A parsed run filter: an immutable tree of and/or/not over comparisons, `in` lists, `like` patterns and
 * `is [not] null` tests. Produced by parseRunQuery and compiled to SQL by compileRunQuery.
 */
export type RunQuery =
  | { readonly kind: 'and'; readonly items: readonly RunQuery[] }
  | { readonly kind: 'or'; readonly items: readonly RunQuery[] }
  | { readonly kind: 'not'; readonly item: RunQuery }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly values: readonly Literal[]; readonly negated: boolean }
  | { readonly kind: 'like'; readonly field: FieldRef; readonly pattern: Literal; readonly caseInsensitive: boolean; readonly negated: boolean }
  | { readonly kind: 'null'; readonly field: FieldRef; readonly negated: boolean };

/** Run attributes a filter or order can name, with the type of their values. */
export const RUN_ATTRIBUTES: ReadonlyMap<string, 'text' | 'time' | 'status'> = new Map([
  ['id', 'text'],
  ['name', 'text'],
  ['experiment', 'text'],
  ['status', 'status'],
  ['start_time', 'time'],
  ['end_time', 'time'],
  ['git_sha', 'text'],
]);

/** Dataset-lineage fields a filter can name (`datasets.name = 'adult-train'`). */
export const DATASET_FIELDS: readonly string[] = ['name', 'version', 'role'];
