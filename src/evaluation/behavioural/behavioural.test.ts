import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import type { Frame } from '../../core/frame/frame.js';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import type { LoadedModelArtifact } from '../../models/artifact/index.js';
import type { LoadedModel } from '../../training/load-model.js';
import { BehaviouralTest } from './behavioural-test.js';
import { runBehaviouralTests } from './run-behavioural-tests.js';

// A scorer with known behaviour: P(yes) = σ((age − 50) / 10), plus 0.001 when plan is "pro" (a tiny dependence).
const signature = {
  columns: [
    { name: 'age', type: 'float' as const, nullable: false, tags: [] },
    { name: 'plan', type: 'category' as const, nullable: false, tags: [] },
  ],
};
const model: LoadedModel = {
  artifact: { manifest: { inputSignature: signature, outputSignature: { task: 'binary', outputs: [{ name: 'p_yes', type: 'float' }], classes: ['no', 'yes'] } } } as unknown as LoadedModelArtifact,
  outputs: 1,
  outputNames: ['p_yes'],
  predict(frame: Frame) {
    const age = frame.column('age');
    const plan = frame.column('plan');
    return Float64Array.from({ length: frame.length }, (_, i) => {
      const pro = plan.type === 'category' ? plan.dictionary[plan.codes[i]] === 'pro' : false;
      const a = age.type === 'float' || age.type === 'int' ? age.values[i] : Number.NaN;
      return (1 / (1 + Math.exp(-(a - 50) / 10))) * 0.999 + (pro ? 0.001 : 0);
    });
  },
  explain: () => null,
};
const data = frameFromRecords(Array.from({ length: 50 }, (_, i) => ({ age: 20 + i, plan: i % 2 ? 'pro' : 'basic' })));

test('invariance, directional and minimum-functionality tests, declared as JSON, pass and fail as they should', () => {
  const tests = BehaviouralTest.parseAll(
    JSON.parse(`[
      {"kind": "invariance", "name": "plan barely matters", "column": "plan", "perturb": {"set": "pro"}, "epsilon": 0.002},
      {"kind": "invariance", "name": "age does not matter (false)", "column": "age", "perturb": {"add": 5}, "epsilon": 0.01, "rows": 20},
      {"kind": "directional", "name": "older scores higher", "column": "age", "perturb": {"add": 1}, "direction": "increase"},
      {"kind": "directional", "name": "older scores lower (false)", "column": "age", "perturb": {"scale": 1.1}, "direction": "decrease"},
      {"kind": "minimum_functionality", "name": "obvious cases", "cases": [
        {"name": "young", "input": {"age": 20, "plan": "basic"}, "expected": "no"},
        {"name": "old", "input": {"age": 80, "plan": "basic"}, "expected": "yes"},
        {"name": "wrong on purpose", "input": {"age": 90, "plan": "pro"}, "expected": "no"}
      ]}
    ]`),
  );
  const results = runBehaviouralTests(model, data, tests, { seed: 3 });
  assert.deepEqual(results.map((r) => [r.name, r.passed, r.cases, r.failures]), [
    ['plan barely matters', true, 50, 0],
    ['age does not matter (false)', false, 20, 20],
    ['older scores higher', true, 50, 0],
    ['older scores lower (false)', false, 50, 50],
    ['obvious cases', false, 3, 1],
  ]);
  assert.ok(results[0].worst_change! > 0.0009 && results[0].worst_change! <= 0.001 + 1e-12);
  assert.deepEqual(results[4].examples, [{ case: 'wrong on purpose', expected: 'no', got: 'yes', score: results[4].examples[0].score }]);
});

test('bad behavioural declarations are coded errors naming the test and field', () => {
  const check = (value: unknown, field: string): void =>
    assert.throws(() => BehaviouralTest.parseAll(value), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_BEHAVIOURAL_SPEC_INVALID' && e.details?.field === field, JSON.stringify(value));
  check({ kind: 'invariance', name: 'x', column: 'age', perturb: { add: 1 } }, 'epsilon');
  check({ kind: 'directional', name: 'x', column: 'age', perturb: { add: 1 }, direction: 'up' }, 'direction');
  check({ kind: 'telepathy', name: 'x' }, 'kind');
  const [t] = BehaviouralTest.parseAll({ kind: 'invariance', name: 'no column', column: 'income', perturb: { add: 1 }, epsilon: 0 });
  assert.throws(() => runBehaviouralTests(model, data, [t]), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_BEHAVIOURAL_SPEC_INVALID' && e.details?.field === 'column');
  const [u] = BehaviouralTest.parseAll({ kind: 'invariance', name: 'text arithmetic', column: 'plan', perturb: { add: 1 }, epsilon: 0 });
  assert.throws(() => runBehaviouralTests(model, data, [u]), (e: unknown) => isLoomError(e) && e.code === 'LOOM_ERR_EVAL_BEHAVIOURAL_SPEC_INVALID' && e.details?.field === 'perturb');
});
