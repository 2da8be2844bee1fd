import type { ErrorArea } from './error-definition.js';

/** Errors of learning to rank in src/models/gbdt: query groups for the lambdarank objective and the ndcg/map metrics. */
export const GBDT_RANKING_ERRORS = {
  GBDT_GROUP_MISSING: {
    status: 400,
    message: '{what} needs query groups on the {dataset} data: set the group_column param to the query id column, or pass group sizes.',
    meaning: 'The lambdarank objective and the ndcg and map metrics score rows per query, so every dataset they see must say which rows form a query.',
    fix: 'Set the group_column param (alias query_column, group, query) to the query id column, or pass group sizes (`group` option or GbdtMatrix.group).',
  },
  GBDT_GROUP_INVALID: {
    status: 400,
    message: 'Query groups "{field}" of the {dataset} data are invalid: {problem}.',
    meaning: 'Group sizes that do not add up to the number of rows, an empty or oversized group, a missing query id, or rows of one query that are not next to each other.',
    fix: 'Give positive group sizes summing to the row count (each at most 10000), or a query id column without missing values whose rows are sorted so each query is one contiguous block (e.g. ORDER BY the query id).',
  },
} as const satisfies ErrorArea;
