import { LoomError } from '../errors/index.js';
import type {
  BoolColumn,
  CategoryColumn,
  ColumnTag,
  EmbeddingColumn,
  FloatColumn,
  IntColumn,
  StringColumn,
  TimestampColumn,
} from './column.js';
import { newValidity, setValid } from './validity.js';

/**
 * Builders from plain JS arrays, where `null` or `undefined` marks a missing value. They copy their input and
 * return a column with a validity bitmap only when some value is missing. Meant for tests, request payloads and
 * small tables; bulk data arrives columnar from DuckDB instead.
 */
type Maybe<T> = T | null | undefined;

export function floatColumn(name: string, values: ArrayLike<Maybe<number>>, tags: readonly ColumnTag[] = []): FloatColumn {
  const out = new Float64Array(values.length);
  const validity = fill(values, (v, i) => {
    out[i] = v;
  });
  return { type: 'float', name, length: values.length, values: out, validity, tags };
}

export function intColumn(name: string, values: ArrayLike<Maybe<number>>, tags: readonly ColumnTag[] = []): IntColumn {
  let wide = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (!Number.isInteger(v)) {
      throw new LoomError('FRAME_TYPE_MISMATCH', { column: name, actual: `the value ${v}`, expected: 'an integer' }, { details: { field: name, row: i } });
    }
    if (v > 2147483647 || v < -2147483648) wide = true;
  }
  const out = wide ? new Float64Array(values.length) : new Int32Array(values.length);
  const validity = fill(values, (v, i) => {
    out[i] = v;
  });
  return { type: 'int', name, length: values.length, values: out, validity, tags };
}

export function boolColumn(name: string, values: ArrayLike<Maybe<boolean>>, tags: readonly ColumnTag[] = []): BoolColumn {
  const out = new Uint8Array(values.length);
  const validity = fill(values, (v, i) => {
    out[i] = v ? 1 : 0;
  });
  return { type: 'bool', name, length: values.length, values: out, validity, tags };
}

/**
 * Dictionary-encodes strings. With `dictionary` given, codes follow it and unseen values are an error; otherwise the
 * dictionary is the distinct values in order of first appearance.
 */
export function categoryColumn(
  name: string,
  values: ArrayLike<Maybe<string>>,
  tags: readonly ColumnTag[] = [],
  dictionary?: readonly string[],
): CategoryColumn {
  const dict = dictionary ? [...dictionary] : [];
  const index = new Map(dict.map((v, i) => [v, i]));
  const codes = new Int32Array(values.length).fill(-1);
  const validity = fill(values, (v, i) => {
    let code = index.get(v);
    if (code === undefined) {
      if (dictionary) {
        throw new LoomError('FRAME_TYPE_MISMATCH', { column: name, actual: `the unknown category "${v}"`, expected: `one of ${dict.slice(0, 10).join(', ')}` }, { details: { field: name, row: i } });
      }
      code = dict.length;
      dict.push(v);
      index.set(v, code);
    }
    codes[i] = code;
  });
  return { type: 'category', name, length: values.length, codes, dictionary: Object.freeze(dict), validity, tags };
}

export function stringColumn(name: string, values: ArrayLike<Maybe<string>>, tags: readonly ColumnTag[] = []): StringColumn {
  const out = new Array<string>(values.length).fill('');
  const validity = fill(values, (v, i) => {
    out[i] = v;
  });
  return { type: 'string', name, length: values.length, values: out, validity, tags };
}

/** Timestamps from epoch milliseconds, `Date`s or ISO-8601 strings (a string without a zone is read as UTC). */
export function timestampColumn(name: string, values: ArrayLike<Maybe<number | Date | string>>, tags: readonly ColumnTag[] = []): TimestampColumn {
  const out = new Float64Array(values.length);
  const validity = fill(values, (v, i) => {
    const ms = toEpochMs(v);
    if (Number.isNaN(ms)) {
      throw new LoomError('FRAME_TYPE_MISMATCH', { column: name, actual: `the value "${String(v)}"`, expected: 'a timestamp (epoch ms or ISO-8601)' }, { details: { field: name, row: i } });
    }
    out[i] = ms;
  });
  return { type: 'timestamp', name, length: values.length, values: out, validity, tags };
}

export function embeddingColumn(name: string, dim: number, values: ArrayLike<Maybe<ArrayLike<number>>>, tags: readonly ColumnTag[] = []): EmbeddingColumn {
  const out = new Float32Array(values.length * dim);
  const validity = fill(values, (v, i) => {
    if (v.length !== dim) {
      throw new LoomError('FRAME_TYPE_MISMATCH', { column: name, actual: `a vector of length ${v.length}`, expected: `length ${dim}` }, { details: { field: name, row: i } });
    }
    out.set(v, i * dim);
  });
  return { type: 'embedding', name, length: values.length, dim, values: out, validity, tags };
}

/** Parses epoch ms, a Date, or an ISO-8601 string (zone-less strings are UTC). NaN when it cannot. */
export function toEpochMs(value: number | Date | string): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  const text = value.trim();
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(text) || !/\d[T ]\d/.test(text) ? text : `${text}Z`;
  return Date.parse(zoned.replace(' ', 'T'));
}

function fill<T>(values: ArrayLike<Maybe<T>>, set: (value: T, i: number) => void): Uint8Array | null {
  let validity: Uint8Array | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity ??= newValidity(values.length, true);
      setValid(validity, i, false);
    } else {
      set(v, i);
    }
  }
  return validity;
}
