import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CORE_ERRORS } from './catalogue-core.js';
import { ERROR_AREAS, ERROR_CATALOGUE, LoomError, asLoomError, isLoomError, renderErrorDocs } from './index.js';

test('no code is defined in two areas', () => {
  const total = ERROR_AREAS.reduce((n, [, table]) => n + Object.keys(table).length, 0);
  assert.equal(Object.keys(ERROR_CATALOGUE).length, total);
});

test('every code is upper snake case, has a 4xx/5xx status and a fix', () => {
  for (const [name, def] of Object.entries(ERROR_CATALOGUE)) {
    assert.match(name, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, name);
    assert.ok(def.status >= 400 && def.status < 600, name);
    assert.ok(def.fix.length > 10 && def.meaning.length > 10, name);
  }
});

test('docs/errors.md is generated from the catalogue and up to date', () => {
  const onDisk = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderErrorDocs(), 'run `npm run docs:errors`');
  for (const name of Object.keys(ERROR_CATALOGUE)) assert.ok(onDisk.includes(`\`LOOM_ERR_${name}\``), name);
});

test('LoomError renders its template, keeps cause and maps to the API body', () => {
  const cause = new Error('disk');
  const err = new LoomError('FRAME_COLUMN_NOT_FOUND', { column: 'agee', available: 'age, sex' }, { cause, details: { field: 'agee' } });
  assert.equal(err.code, 'LOOM_ERR_FRAME_COLUMN_NOT_FOUND');
  assert.equal(err.statusCode, CORE_ERRORS.FRAME_COLUMN_NOT_FOUND.status);
  assert.equal(err.message, 'Column "agee" does not exist. Available columns: age, sex.');
  assert.equal(err.cause, cause);
  const body = err.toJSON();
  assert.deepEqual(body, { statusCode: 400, code: err.code, error: 'Bad Request', message: err.message, details: { field: 'agee' } });
  assert.ok(isLoomError(err, 'FRAME_COLUMN_NOT_FOUND'));
  assert.ok(!isLoomError(err, 'CORE_INTERNAL'));
});

test('asLoomError wraps unknown failures as INTERNAL and keeps LoomErrors', () => {
  const wrapped = asLoomError(new TypeError('boom'));
  assert.equal(wrapped.code, 'LOOM_ERR_CORE_INTERNAL');
  assert.equal(wrapped.statusCode, 500);
  const mine = new LoomError('DATA_EMPTY', { path: 'x.csv' });
  assert.equal(asLoomError(mine), mine);
});
