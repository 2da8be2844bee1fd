import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from '../../core/schema/index.js';
import { decodeV2Inputs } from './v2-inputs.js';

const schema: Schema = {
  columns: [
    { name: 'x', type: 'float', nullable: false, tags: [] },
    { name: 'n', type: 'int', nullable: false, tags: [] },
    { name: 'c', type: 'category', nullable: true, tags: [] },
  ],
};
const numeric: Schema = { columns: schema.columns.slice(0, 2) };

test('one tensor per column: [n] and [n,1] shapes, flat or nested data, extra inputs ignored', () => {
  const { columns, rows } = decodeV2Inputs(schema, [
    { name: 'x', shape: [2], datatype: 'FP32', data: [1.5, 2.5] },
    { name: 'n', shape: [2, 1], datatype: 'INT64', data: [[3], [4]] },
    { name: 'c', shape: [2, 1], datatype: 'BYTES', data: ['a', null] },
    { name: 'unused', shape: [1], datatype: 'FP64', data: [0] },
  ]);
  assert.equal(rows, 2);
  assert.deepEqual([...columns.entries()], [['x', [1.5, 2.5]], ['n', [3, 4]], ['c', ['a', null]]]);
});

test('one [n, columns] tensor holds every column in signature order, row-major', () => {
  const { columns, rows } = decodeV2Inputs(numeric, [{ name: 'input-0', shape: [3, 2], datatype: 'FP64', data: [1, 10, 2, 20, 3, 30] }]);
  assert.equal(rows, 3);
  assert.deepEqual([...columns.entries()], [['x', [1, 2, 3]], ['n', [10, 20, 30]]]);
});

test('each malformed tensor is LOOM_ERR_SERVING_INVALID_REQUEST naming its field', () => {
  const x = { name: 'x', shape: [1], datatype: 'FP64', data: [1] };
  const cases: [unknown, string][] = [
    [[], 'inputs'],
    [{}, 'inputs'],
    [[null], 'inputs[0]'],
    [[{ ...x, name: '' }], 'inputs[0].name'],
    [[{ ...x, shape: [] }], 'inputs[0].shape'],
    [[{ ...x, shape: [-1] }], 'inputs[0].shape'],
    [[{ ...x, shape: [2.5] }], 'inputs[0].shape'],
    [[{ ...x, datatype: 'FLOAT' }], 'inputs[0].datatype'],
    [[{ ...x, parameters: 3 }], 'inputs[0].parameters'],
    [[{ ...x, data: 1 }], 'inputs[0].data'],
    [[{ ...x, data: [1, 2] }], 'inputs[0].data'],
    [[{ ...x, data: ['1'] }], 'inputs[0].data[0]'],
    [[{ ...x, datatype: 'UINT8', data: [-1] }], 'inputs[0].data[0]'],
    [[{ ...x, datatype: 'BOOL', data: [1] }], 'inputs[0].data[0]'],
    [[x, x], 'inputs[1].name'],
    [[{ ...x, name: 'c', datatype: 'FP64' }], 'inputs[0].datatype'],
    [[{ ...x, shape: [1, 2], data: [1, 2] }], 'inputs[0].shape'],
    [[x, { name: 'n', shape: [2], datatype: 'INT64', data: [1, 2] }], 'inputs[1].shape'],
    [[{ name: 'other', shape: [1], datatype: 'FP64', data: [1] }], 'inputs'],
    [[{ name: 'm', shape: [1, 4], datatype: 'FP64', data: [1, 2, 3, 4] }], 'inputs[0].shape'],
  ];
  for (const [inputs, field] of cases) {
    assert.throws(() => decodeV2Inputs(schema, inputs), (err: any) => err.code === 'LOOM_ERR_SERVING_INVALID_REQUEST' && err.details.field === field, `${JSON.stringify(inputs)} → ${field}`);
  }
  assert.throws(() => decodeV2Inputs(schema, [{ name: 'm', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3] }]), (err: any) => err.details.field === 'inputs[0].datatype');
});
