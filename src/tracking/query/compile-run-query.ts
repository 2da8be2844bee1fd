import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { MetadataBackend } from '../../storage/metadata/metadata-store.js';
import { RUN_STATUSES } from '../run-record.js';
import { queryError } from './parse-run-query.js';
import { RUN_ATTRIBUTES, type CompareOp, type FieldRef, type Literal, type RunQuery } from './run-query.js';

/**
 * A filter compiled to SQL over the runs table aliased `r`: the top-level `and` terms that require a metric, param
 * or tag row (each can be a join or a probe, see searchRuns), and the rest as one condition.
 */
export interface CompiledRunQuery {
  readonly required: readonly KeyTest[];
  readonly where: RawBuilder<SqlBool>;
  /** How many top-level terms `where` holds. */
  readonly others: number;
}

/**
 * A test on one of the per-run key tables: rows of `table` for the run (and `key`) satisfying `predicate`. With
 * `probe` set the predicate hides its value column from SQLite's index choice (unary `+`), so a per-run probe looks
 * the row up by its (run_id, key) primary key instead of range-scanning the value index for every run. @internal
 */
export interface KeyTest {
  readonly table: 'run_latest_metrics' | 'run_params' | 'run_tags' | 'run_datasets';
  readonly key: string | null;
  readonly predicate: (alias: RawBuilder<unknown>, probe: boolean) => RawBuilder<SqlBool>;
  /** True: the run must have no such row. */
  readonly absent: boolean;
  /** Which value column the predicate reads (`value` for metrics, `num_value` or `value` for params and tags). */
  readonly column: 'value' | 'num_value' | null;
}

/** `exists (…)` (or `not exists`) for a key test, probing each run by its primary key. @internal */
export function keyExists(t: KeyTest): RawBuilder<SqlBool> {
  const alias = sql.table('x');
  const key = t.key === null ? sql`` : sql` and ${alias}.key = ${t.key}`;
  return sql<SqlBool>`${sql.raw(t.absent ? 'not ' : '')}exists (select 1 from ${sql.table(t.table)} ${alias} where ${alias}.run_id = r.id${key} and ${t.predicate(alias, true)})`;
}

/** An inner join for a required key test, under `alias`. @internal */
export function keyJoin(t: KeyTest, alias: string): RawBuilder<unknown> {
  const a = sql.table(alias);
  return sql`join ${sql.table(t.table)} ${a} on ${a}.run_id = r.id and ${a}.key = ${t.key} and ${t.predicate(a, false)}`;
}

/**
 * Compiles a parsed filter to SQL on the runs table aliased `r`. Every value and key is a bound parameter; only fixed
 * table, column and operator names are written into the SQL. The filter's top-level `and` terms that require a
 * metric, param or tag come back as key tests, which searchRuns turns into joins or per-run probes depending on
 * how selective they are; every other term is an `exists` probe on the (run_id, key) primary key.
 *
 * Semantics: a comparison on a metric, param or tag a run lacks is false (use `is null` to find such runs). Metrics
 * compare their latest value; a NaN latest value counts as missing. Params and tags compared with a number use
 * their numeric value (text that is not a number never matches); compared with text, their text. `like` is
 * case-sensitive and `ilike` is not, on both backends (`%` any run of characters, `_` one character).
 *
 * @throws LOOM_ERR_TRACKING_QUERY_INVALID when a value has the wrong kind for its field (with its position).
 */
export function compileRunQuery(query: RunQuery, text: string, backend: MetadataBackend): CompiledRunQuery {
  const test = (q: Extract<RunQuery, { kind: 'compare' | 'in' | 'like' | 'null' }>): KeyTest | RawBuilder<SqlBool> => {
    switch (q.kind) {
      case 'compare':
        return compare(q.field, q.op, q.value);
      case 'in':
        return inList(q.field, q.values, q.negated);
      case 'like':
        return like(q.field, q.pattern, q.caseInsensitive, q.negated);
      case 'null':
        return isNull(q.field, q.negated);
    }
  };
  const asCondition = (t: KeyTest | RawBuilder<SqlBool>): RawBuilder<SqlBool> => (isKeyTest(t) ? keyExists(t) : t);
  // The value column of a key table; in a SQLite probe, `+` keeps the planner on the primary key.
  const col = (alias: RawBuilder<unknown>, column: string, probe: boolean): RawBuilder<unknown> =>
    probe && backend === 'sqlite' ? sql`+${alias}.${sql.ref(column)}` : sql`${alias}.${sql.ref(column)}`;
  const compile = (q: RunQuery): RawBuilder<SqlBool> => {
    switch (q.kind) {
      case 'and':
        return q.items.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(q.items.map(compile), sql` and `)})`;
      case 'or':
        return sql<SqlBool>`(${sql.join(q.items.map(compile), sql` or `)})`;
      case 'not':
        return sql<SqlBool>`not (${compile(q.item)})`;
      default:
        return asCondition(test(q));
    }
  };

  const compare = (field: FieldRef, op: CompareOp, value: Literal): KeyTest | RawBuilder<SqlBool> => {
    const operator = sql.raw(op === '!=' ? '<>' : op);
    switch (field.scope) {
      case 'metrics': {
        const v = numberOf(field, value);
        return keyTest('run_latest_metrics', field.key, 'value', (a, p) => sql`${col(a, 'value', p)} ${operator} ${v}`);
      }
      case 'params':
      case 'tags':
      {
        const column = value.kind === 'number' ? 'num_value' : 'value';
        return keyTest(keyTable(field), field.key, column, (a, p) => sql`${col(a, column, p)} ${operator} ${value.value}`);
      }
      case 'datasets': {
        const v = textOf(field, value);
        return keyTest('run_datasets', null, null, (a, p) => sql`${col(a, datasetColumn(field.key), p)} ${operator} ${v}`);
      }
      case 'attributes':
        return attributeCompare(field, operator, value);
    }
  };

  const attributeCompare = (field: FieldRef, operator: RawBuilder<unknown>, value: Literal): RawBuilder<SqlBool> => {
    const type = RUN_ATTRIBUTES.get(field.key)!;
    if (type === 'time') return sql<SqlBool>`r.${sql.ref(field.key)} ${operator} ${timeOf(field, value)}`;
    if (type === 'status') return sql<SqlBool>`r.status ${operator} ${statusOf(field, value)}`;
    if (field.key === 'experiment') return sql<SqlBool>`r.experiment_id in (select id from experiments where name ${operator} ${textOf(field, value)})`;
    return sql<SqlBool>`r.${sql.ref(field.key)} ${operator} ${textOf(field, value)}`;
  };

  const inList = (field: FieldRef, values: readonly Literal[], negated: boolean): KeyTest | RawBuilder<SqlBool> => {
    const kinds = new Set(values.map((v) => v.kind));
    if (kinds.size > 1) throw queryError(text, values[0].position, 'an "in" list holds only numbers or only quoted text');
    const isNumber = kinds.has('number');
    switch (field.scope) {
      case 'metrics': {
        const list = sql.join(values.map((v) => numberOf(field, v)));
        return keyTest('run_latest_metrics', field.key, 'value', (a, p) => sql`${col(a, 'value', p)} in (${list})`, negated);
      }
      case 'params':
      case 'tags': {
        const list = sql.join(values.map((v) => v.value));
        const column = isNumber ? 'num_value' : 'value';
        return keyTest(keyTable(field), field.key, column, (a, p) => sql`${col(a, column, p)} in (${list})`, negated);
      }
      case 'datasets': {
        const list = sql.join(values.map((v) => textOf(field, v)));
        return keyTest('run_datasets', null, null, (a, p) => sql`${col(a, datasetColumn(field.key), p)} in (${list})`, negated);
      }
      case 'attributes': {
        const type = RUN_ATTRIBUTES.get(field.key)!;
        const bound = sql.join(values.map((v) => (type === 'time' ? timeOf(field, v) : type === 'status' ? statusOf(field, v) : textOf(field, v))));
        const condition =
          field.key === 'experiment' ? sql<SqlBool>`r.experiment_id in (select id from experiments where name in (${bound}))` : sql<SqlBool>`r.${sql.ref(field.key)} in (${bound})`;
        return negated ? sql<SqlBool>`not (${condition})` : condition;
      }
    }
  };

  const like = (field: FieldRef, pattern: Literal, caseInsensitive: boolean, negated: boolean): KeyTest | RawBuilder<SqlBool> => {
    if (field.scope === 'metrics') throw queryError(text, field.position, `"like" compares text; metrics are numbers (use <, >, =)`);
    if (field.scope === 'attributes' && RUN_ATTRIBUTES.get(field.key) === 'time') throw queryError(text, field.position, `"like" compares text; ${field.key} is a time`);
    const p = String(pattern.value);
    const match = (column: RawBuilder<unknown>): RawBuilder<SqlBool> => {
      if (caseInsensitive) return sql<SqlBool>`lower(${column}) like lower(${p})`;
      // SQLite's LIKE ignores ASCII case, so case-sensitive matching uses GLOB with the pattern translated.
      return backend === 'sqlite' ? sql<SqlBool>`${column} glob ${likeToGlob(p)}` : sql<SqlBool>`${column} like ${p}`;
    };
    switch (field.scope) {
      case 'params':
      case 'tags':
        return keyTest(keyTable(field), field.key, 'value', (a, p) => match(col(a, 'value', p)), negated);
      case 'datasets':
        return keyTest('run_datasets', null, null, (a, p) => match(col(a, datasetColumn(field.key), p)), negated);
      default: {
        const condition =
          field.key === 'experiment' ? sql<SqlBool>`r.experiment_id in (select id from experiments where ${match(sql.ref('name'))})` : match(sql.ref(`r.${field.key}`));
        return negated ? sql<SqlBool>`not (${condition})` : condition;
      }
    }
  };

  const isNull = (field: FieldRef, negated: boolean): KeyTest | RawBuilder<SqlBool> => {
    switch (field.scope) {
      case 'metrics':
        return keyTest('run_latest_metrics', field.key, 'value', (a, p) => sql`${col(a, 'value', p)} is not null`, !negated);
      case 'params':
      case 'tags':
        return keyTest(keyTable(field), field.key, null, () => sql`1 = 1`, !negated);
      case 'datasets':
        return keyTest('run_datasets', null, null, () => sql`1 = 1`, !negated);
      case 'attributes':
        if (field.key === 'experiment') return sql<SqlBool>`${sql.raw(negated ? '1 = 1' : '1 = 0')}`;
        return sql<SqlBool>`r.${sql.ref(field.key)} is ${sql.raw(negated ? 'not ' : '')}null`;
    }
  };

  const numberOf = (field: FieldRef, value: Literal): number => {
    if (value.kind !== 'number') throw queryError(text, value.position, `metrics.${field.key} is a number; compare it with a number, not '${value.value}'`);
    return value.value;
  };
  const textOf = (field: FieldRef, value: Literal): string => {
    if (value.kind !== 'string') throw queryError(text, value.position, `${field.scope === 'attributes' ? field.key : `${field.scope}.${field.key}`} is text; quote the value: '${value.value}'`);
    return value.value;
  };
  const timeOf = (field: FieldRef, value: Literal): number => {
    if (value.kind === 'number') return value.value;
    const t = Date.parse(value.value);
    if (Number.isNaN(t)) throw queryError(text, value.position, `${field.key} takes epoch milliseconds or an ISO date such as '2026-11-01T00:00:00Z', not '${value.value}'`);
    return t;
  };
  const statusOf = (field: FieldRef, value: Literal): string => {
    const status = textOf(field, value).toLowerCase();
    if (!(RUN_STATUSES as readonly string[]).includes(status)) throw queryError(text, value.position, `status is one of ${RUN_STATUSES.join(', ')}, not '${value.value}'`);
    return status;
  };

  // Top-level terms that require a row of a key table (one row per run and key, so a join never duplicates a run)
  // are returned apart; the rest become conditions. Lineage rows are not unique per run, so they stay `exists`.
  const terms = query.kind === 'and' ? query.items : [query];
  const required: KeyTest[] = [];
  const conditions: RawBuilder<SqlBool>[] = [];
  for (const term of terms) {
    if (term.kind === 'and' || term.kind === 'or' || term.kind === 'not') {
      conditions.push(compile(term));
      continue;
    }
    const t = test(term);
    if (isKeyTest(t) && !t.absent && t.table !== 'run_datasets' && t.key !== null) required.push(t);
    else conditions.push(asCondition(t));
  }
  return { required, where: conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(conditions, sql` and `)}`, others: conditions.length };
}

function keyTest(table: KeyTest['table'], key: string | null, column: KeyTest['column'], predicate: KeyTest['predicate'], absent = false): KeyTest {
  return { table, key, column, predicate, absent };
}

function isKeyTest(t: KeyTest | RawBuilder<SqlBool>): t is KeyTest {
  return typeof (t as KeyTest).predicate === 'function';
}

function keyTable(field: FieldRef): 'run_params' | 'run_tags' {
  return field.scope === 'params' ? 'run_params' : 'run_tags';
}

function datasetColumn(key: string): string {
  return key === 'name' ? 'dataset' : key;
}

/** A LIKE pattern as a GLOB pattern: % → *, _ → ?, and GLOB's own wildcards made literal. @internal */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const c of pattern) {
    if (c === '%') out += '*';
    else if (c === '_') out += '?';
    else if (c === '*' || c === '?' || c === '[') out += `[${c}]`;
    else out += c;
  }
  return out;
}
