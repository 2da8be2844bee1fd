import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Frame, categoryColumn, floatColumn, intColumn } from '../frame/index.js';
import { assertSchemaMatches, compareSchemas, inferLogicalType, parseSchema, schemaOf } from './index.js';

test('schemaOf records types, observed nullability, tags and dictionaries, and survives a JSON round trip', () => {
  const frame = new Frame([floatColumn('x', [1, null]), categoryColumn('c', ['b', 'a'], ['target'])]);
  const schema = schemaOf(frame);
  assert.deepEqual(schema, {
    columns: [
      { name: 'x', type: 'float', nullable: true, tags: [] },
      { name: 'c', type: 'category', nullable: false, tags: ['target'], categories: ['b', 'a'] },
    ],
  });
  assert.deepEqual(parseSchema(JSON.parse(JSON.stringify(schema))), schema);
  assert.ok(Object.isFrozen(schema.columns[0]));
});

test('parseSchema names the offending path', () => {
  assert.throws(() => parseSchema({ columns: [{ name: 'x', type: 'double', nullable: true, tags: [] }] }), (err: any) => err.code === 'LOOM_ERR_SCHEMA_INVALID' && err.details.field === 'columns.0.type');
  assert.throws(() => parseSchema({ columns: [{ name: 'e', type: 'embedding', nullable: true, tags: [] }] }), (err: any) => err.details.field === 'e');
  assert.throws(() => parseSchema({ columns: [], extra: 1 }), { code: 'LOOM_ERR_SCHEMA_INVALID' });
});

test('compareSchemas lists missing, unexpected, retyped and newly nullable columns', () => {
  const expected = schemaOf(new Frame([floatColumn('a', [1]), intColumn('b', [1]), floatColumn('c', [1])]));
  const actual = schemaOf(new Frame([floatColumn('a', [null]), floatColumn('b', [1]), floatColumn('d', [1])]));
  assert.deepEqual(compareSchemas(expected, actual), [
    { column: 'a', problem: 'nullability', expected: 'no nulls', actual: 'nulls' },
    { column: 'b', problem: 'type', expected: 'int', actual: 'float' },
    { column: 'c', problem: 'missing', expected: 'float', actual: 'absent' },
    { column: 'd', problem: 'unexpected', expected: 'absent', actual: 'float' },
  ]);
  assert.throws(() => assertSchemaMatches(expected, actual), (err: any) => err.code === 'LOOM_ERR_SCHEMA_MISMATCH' && err.details.field === 'a');
  assert.doesNotThrow(() => assertSchemaMatches(expected, expected));
});

test('inferLogicalType', () => {
  const cases: [unknown[], string][] = [
    [[1, 2, null], 'int'],
    [[1, 2.5], 'float'],
    [[true, null, false], 'bool'],
    [['a', 'b', 'a', 'a'], 'category'],
    [['a', 'b', 'c'], 'string'],
    [['2024-01-01', '2024-02-01T10:00:00Z'], 'timestamp'],
    [[[1, 2], [3, 4]], 'embedding'],
    [[null, undefined], 'string'],
    [[1, 'a'], 'string'],
  ];
  for (const [values, type] of cases) assert.equal(inferLogicalType(values), type, JSON.stringify(values));
});
