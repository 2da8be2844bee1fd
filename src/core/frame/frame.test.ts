import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Frame,
  boolColumn,
  categoryColumn,
  countNulls,
  embeddingColumn,
  floatColumn,
  frameFromRecords,
  intColumn,
  isValid,
  sliceValidity,
  stringColumn,
  timestampColumn,
} from './index.js';

const sample = () =>
  new Frame([
    floatColumn('x', [1.5, null, 3, 4, 5, 6, 7, 8, 9, 10]),
    intColumn('n', [1, 2, 3, 4, 5, 6, 7, 8, 9, null]),
    categoryColumn('c', ['a', 'b', 'a', null, 'c', 'a', 'b', 'b', 'c', 'a'], ['sensitive']),
    stringColumn('s', ['p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y']),
  ]);

test('builders set validity only when a value is missing', () => {
  const f = sample();
  assert.equal(f.column('s').validity, null);
  assert.equal(countNulls(f.column('x').validity, 10), 1);
  assert.equal(isValid(f.column('x').validity, 1), false);
  assert.equal(isValid(f.column('x').validity, 2), true);
  const c = f.column('c');
  assert.ok(c.type === 'category');
  assert.deepEqual([...c.codes], [0, 1, 0, -1, 2, 0, 1, 1, 2, 0]);
  assert.deepEqual(c.dictionary, ['a', 'b', 'c']);
  assert.deepEqual(c.tags, ['sensitive']);
});

test('int columns widen to Float64Array only beyond 32 bits and reject fractions', () => {
  assert.ok(intColumn('a', [1, 2]).values instanceof Int32Array);
  const wide = intColumn('b', [1, 2 ** 40]);
  assert.ok(wide.values instanceof Float64Array);
  assert.equal(wide.values[1], 2 ** 40);
  assert.throws(() => intColumn('c', [1.5]), { code: 'LOOM_ERR_FRAME_TYPE_MISMATCH' });
});

test('slice shares typed-array memory and re-bases validity bits', () => {
  const f = sample();
  const s = f.slice(1, 4);
  assert.equal(s.length, 3);
  const x = s.column('x');
  assert.ok(x.type === 'float');
  assert.equal(x.values.buffer, (f.column('x') as { values: Float64Array }).values.buffer);
  assert.deepEqual(s.toRecords(), [
    { x: null, n: 2, c: 'b', s: 'q' },
    { x: 3, n: 3, c: 'a', s: 'r' },
    { x: 4, n: 4, c: null, s: 's' },
  ]);
  assert.equal(f.slice(-5, 100).length, 10);
  assert.equal(f.slice(8, 2).length, 0);
});

test('sliceValidity handles unaligned starts', () => {
  const bits = new Uint8Array([0b10110101, 0b00000011]);
  const out = sliceValidity(bits, 3, 10)!;
  const expected = [0, 1, 1, 0, 1, 1, 1];
  assert.deepEqual(expected.map((_, i) => (isValid(out, i) ? 1 : 0)), expected);
});

test('take gathers rows in order with repeats', () => {
  const f = sample().take(new Int32Array([9, 0, 0, 3]));
  assert.deepEqual(f.toRecords(), [
    { x: 10, n: null, c: 'a', s: 'y' },
    { x: 1.5, n: 1, c: 'a', s: 'p' },
    { x: 1.5, n: 1, c: 'a', s: 'p' },
    { x: 4, n: 4, c: null, s: 's' },
  ]);
});

test('select, drop, withColumn and tags', () => {
  const f = sample();
  assert.deepEqual(f.select(['s', 'x']).names, ['s', 'x']);
  assert.deepEqual(f.drop(['n', 'c']).names, ['x', 's']);
  assert.throws(() => f.drop(['nope']), { code: 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND' });
  assert.throws(() => f.column('nope'), (err: any) => err.code === 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND' && err.details.field === 'nope');
  const g = f.withColumn(boolColumn('n', [true, false, true, false, true, false, true, false, true, false])).withTags('s', ['id', 'pii']);
  assert.equal(g.column('n').type, 'bool');
  assert.deepEqual(g.names, ['x', 'n', 'c', 's']);
  assert.deepEqual(g.tagged('pii'), ['s']);
  assert.deepEqual(g.tagged('sensitive'), ['c']);
});

test('frames reject ragged and duplicate columns', () => {
  assert.throws(() => new Frame([floatColumn('a', [1]), floatColumn('b', [1, 2])]), { code: 'LOOM_ERR_FRAME_LENGTH_MISMATCH' });
  assert.throws(() => new Frame([floatColumn('a', [1]), floatColumn('a', [2])]), { code: 'LOOM_ERR_SCHEMA_INVALID' });
});

test('timestamps parse ISO strings as UTC and embeddings check their dimension', () => {
  const t = timestampColumn('t', ['2024-03-01', '2024-03-01T12:00:00', '2024-03-01T12:00:00+02:00', 0, null]);
  assert.deepEqual([...t.values.subarray(0, 4)], [Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 12), Date.UTC(2024, 2, 1, 10), 0]);
  assert.throws(() => timestampColumn('t', ['yesterday']), { code: 'LOOM_ERR_FRAME_TYPE_MISMATCH' });
  const e = embeddingColumn('e', 2, [[1, 2], null, [5, 6]]);
  assert.deepEqual(new Frame([e]).toRecords(), [{ e: [1, 2] }, { e: null }, { e: [5, 6] }]);
  assert.throws(() => embeddingColumn('e', 2, [[1, 2, 3]]), { code: 'LOOM_ERR_FRAME_TYPE_MISMATCH' });
});

test('frameFromRecords infers types, and with a schema enforces them naming field and row', () => {
  const records = [
    { id: 'u1', age: 30, score: 0.5, ok: true, plan: 'a', at: '2024-01-01T00:00:00Z' },
    { id: 'u2', age: 41, score: 1, ok: false, plan: 'a' },
    { id: 'u3', age: null, score: 2.25, ok: true, plan: 'b', at: '2024-01-02T00:00:00Z' },
    { id: 'u4', age: 19, score: 3, ok: true, plan: 'a', at: '2024-01-03T00:00:00Z' },
  ];
  const f = frameFromRecords(records);
  assert.deepEqual(f.columns.map((c) => [c.name, c.type]), [
    ['id', 'string'],
    ['age', 'int'],
    ['score', 'float'],
    ['ok', 'bool'],
    ['plan', 'category'],
    ['at', 'timestamp'],
  ]);
  assert.equal(countNulls(f.column('at').validity, 4), 1);
  const schema = { columns: [{ name: 'age', type: 'int' as const, nullable: true, tags: [] }, { name: 'plan', type: 'category' as const, nullable: false, tags: [], categories: ['a', 'b'] }] };
  assert.deepEqual(frameFromRecords([{ plan: 'b', age: 3, extra: 1 }], schema).toRecords(), [{ age: 3, plan: 'b' }]);
  assert.throws(
    () => frameFromRecords([{ age: 3 }, { age: 'x' }], schema),
    (err: any) => err.code === 'LOOM_ERR_FRAME_TYPE_MISMATCH' && err.details.field === 'age' && err.details.row === 1,
  );
  assert.throws(() => frameFromRecords([{ plan: 'z' }], schema), (err: any) => err.details.field === 'plan');
});
