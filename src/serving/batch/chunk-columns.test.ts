import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolColumn, floatColumn, intColumn, stringColumn } from '../../core/frame/column-builders.js';
import { Frame } from '../../core/frame/frame.js';
import type { Schema } from '../../core/schema/index.js';
import { checkChunk } from './chunk-columns.js';

const signature: Schema = {
  columns: [
    { name: 'age', type: 'int', nullable: false, tags: [] },
    { name: 'income', type: 'float', nullable: true, tags: [] },
    { name: 'zip', type: 'category', nullable: false, tags: [] },
    { name: 'member', type: 'bool', nullable: false, tags: [] },
    { name: 'city', type: 'string', nullable: false, tags: [] },
  ],
};

test('typed-file coercions: numeric text parses, numbers become category text, "true"/"false" become booleans', () => {
  const frame = new Frame(
    [
      stringColumn('age', ['39', ' 50 ', 'abc', '7.5']),
      floatColumn('income', [1.5, null, 3, 4]),
      intColumn('zip', [10115, 80331, 20095, 50667]),
      stringColumn('member', ['true', 'false', 'true', 'yes']),
      boolColumn('unused', [true, false, true, false]),
    ],
    4,
  );
  const { columns, errors } = checkChunk(frame, signature, 'linear');
  assert.deepEqual(columns.get('age'), [39, 50, 'abc', 7.5]);
  assert.deepEqual(columns.get('zip'), ['10115', '80331', '20095', '50667']);
  assert.deepEqual(columns.get('member'), [true, false, true, 'yes']);
  assert.deepEqual(columns.get('income'), [1.5, null, 3, 4], 'income is nullable');
  assert.deepEqual(
    errors.map((e) => [e.index, e.field, e.problem]),
    [
      [0, 'city', 'is missing'],
      [1, 'city', 'is missing'],
      [2, 'age', 'must be an integer (got "abc")'],
      [2, 'city', 'is missing'],
      [3, 'age', 'must be an integer (got number 7.5)'],
      [3, 'member', 'must be true or false (got "yes")'],
      [3, 'city', 'is missing'],
    ],
  );
});

test('a GBDT model takes missing values in any column; other flavors only where the model saw them', () => {
  const frame = new Frame([intColumn('age', [null, 3]), floatColumn('income', [null, 1]), stringColumn('zip', ['a', null]), boolColumn('member', [true, null]), stringColumn('city', ['x', 'y'])], 2);
  assert.deepEqual(checkChunk(frame, signature, 'gbdt').errors, []);
  assert.deepEqual(checkChunk(frame, signature, 'linear').errors.map((e) => [e.index, e.field]), [[0, 'age'], [1, 'zip'], [1, 'member']]);
});
