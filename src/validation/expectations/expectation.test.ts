import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { Expectation } from './expectation.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(isLoomError(err, 'VALIDATION_SUITE_INVALID'), `expected VALIDATION_SUITE_INVALID, got ${String(err)}`);
    return err.details?.field;
  }
  assert.fail('expected a throw');
}

test('create fills severity, drops absent options and freezes', () => {
  const e = Expectation.create({ kind: 'between', column: 'age', min: 17, max: 90 });
  assert.deepEqual(e, { kind: 'between', column: 'age', min: 17, max: 90, severity: 'error' });
  assert.ok(Object.isFrozen(e));
  assert.equal(Expectation.create({ kind: 'unique', column: 'id', severity: 'warn' }).severity, 'warn');
  const d = Expectation.create({ kind: 'distribution', column: 'c', reference: { type: 'categorical', counts: [{ value: 'a', count: 1 }], otherCount: 0 } });
  assert.ok(Object.isFrozen(d.kind === 'distribution' ? d.reference : null));
});

test('is accepts valid expectations and rejects anything else', () => {
  assert.equal(Expectation.is({ kind: 'row_count', min: 1 }), true);
  assert.equal(Expectation.is({ kind: 'row_count', min: -1 }), false);
  assert.equal(Expectation.is({ kind: 'nope' }), false);
  assert.equal(Expectation.is(null), false);
});

test('invalid fields are VALIDATION_SUITE_INVALID naming the path', () => {
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'not_null', column: 'x', mostly: 1.5 }, 'expectations.2')), 'expectations.2.mostly');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'teleport', column: 'x' })), 'kind');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'between', column: 'x', min: 3, max: 1 })), 'min');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'regex', column: 'x', pattern: '(' })), 'pattern');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'regex', column: 'x', pattern: 'a', flags: 'g' })), 'flags');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'in_set', column: 'x', values: [{}] })), 'values.0');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'unique', column: 'x', mostly: 0.5 })), 'mostly');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'freshness', column: 't', maxAgeMs: 0 })), 'maxAgeMs');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'not_null', column: 'x', severity: 'fatal' }, 'e')), 'e.severity');
  const numeric = { type: 'numeric', sample: [1, 2] };
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'distribution', column: 'x', reference: numeric, test: 'psi' })), 'test');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'distribution', column: 'x', reference: numeric, test: 'chi_square' })), 'test');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'distribution', column: 'x', reference: { type: 'numeric', sample: [] } })), 'reference.sample');
  assert.equal(fieldOf(() => Expectation.parse({ kind: 'distribution', column: 'x', reference: numeric, threshold: 1 })), 'threshold');
});
