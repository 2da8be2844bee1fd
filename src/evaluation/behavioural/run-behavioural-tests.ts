import { LoomError } from '../../core/errors/index.js';
import type { Column } from '../../core/frame/column.js';
import type { Frame } from '../../core/frame/frame.js';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import { Random } from '../../core/random.js';
import type { LoadedModel } from '../../training/load-model.js';
import type { BehaviouralResult } from '../evaluation-report.js';
import type { BehaviouralTest, Perturbation } from './behavioural-test.js';

/** Rows tested by invariance and directional tests unless a test says otherwise. */
export const DEFAULT_BEHAVIOURAL_ROWS = 1000;

/**
 * Runs behavioural tests against a loaded model. Invariance and directional tests perturb a seeded sample of `frame`'s
 * rows (`rows`, default 1000) and compare the model's outputs before and after; minimum-functionality cases are built
 * from their records with the model's input signature. A classifier's decision is `p ≥ threshold` (binary) or the
 * arg-max class (multiclass).
 *
 * @throws LOOM_ERR_EVAL_BEHAVIOURAL_SPEC_INVALID when a test names a column the data lacks, perturbs text
 *   arithmetically, or names an unknown output; the model's input errors for bad minimum-functionality records
 */
export function runBehaviouralTests(model: LoadedModel, frame: Frame, tests: readonly BehaviouralTest[], options: { readonly seed?: number; readonly threshold?: number } = {}): BehaviouralResult[] {
  const threshold = options.threshold ?? 0.5;
  const seed = options.seed ?? 42;
  return tests.map((test) => {
    if (test.kind === 'minimum_functionality') return minimumFunctionality(model, test, threshold);
    if (!frame.has(test.column)) throw spec(test.name, 'column', `the data has no column "${test.column}"`);
    const sample = sampleRows(frame, test.rows ?? DEFAULT_BEHAVIOURAL_ROWS, seed);
    const before = model.predict(sample);
    const after = model.predict(sample.withColumn(perturbColumn(sample.column(test.column), test.perturb, test.name)));
    const k = model.outputs;
    const examples: Record<string, unknown>[] = [];
    let failures = 0;
    let worst = 0;
    if (test.kind === 'invariance') {
      for (let i = 0; i < sample.length; i++) {
        let change = 0;
        for (let c = 0; c < k; c++) change = Math.max(change, Math.abs(after[i * k + c] - before[i * k + c]));
        worst = Math.max(worst, change);
        if (change > test.epsilon) {
          failures++;
          if (examples.length < 5) examples.push({ ...sample.toRecords(i, i + 1)[0], score_before: before[i * k], score_after: after[i * k], change });
        }
      }
      return { name: test.name, kind: test.kind, passed: failures === 0, cases: sample.length, failures, worst_change: worst, examples };
    }
    const out = test.output === undefined ? 0 : model.outputNames.indexOf(test.output);
    if (out < 0) throw spec(test.name, 'output', `the model's outputs are ${model.outputNames.join(', ')}`);
    const sign = test.direction === 'increase' ? 1 : -1;
    const tolerance = test.tolerance ?? 0;
    worst = Number.POSITIVE_INFINITY;
    for (let i = 0; i < sample.length; i++) {
      const move = sign * (after[i * k + out] - before[i * k + out]);
      worst = Math.min(worst, move);
      if (move < -tolerance) {
        failures++;
        if (examples.length < 5) examples.push({ ...sample.toRecords(i, i + 1)[0], score_before: before[i * k + out], score_after: after[i * k + out] });
      }
    }
    // Reported as the most adverse move (negative: against the expected direction).
    return { name: test.name, kind: test.kind, passed: failures === 0, cases: sample.length, failures, worst_change: sample.length === 0 ? 0 : worst, examples };
  });
}

function minimumFunctionality(model: LoadedModel, test: Extract<BehaviouralTest, { kind: 'minimum_functionality' }>, threshold: number): BehaviouralResult {
  const manifest = model.artifact.manifest;
  const frame = frameFromRecords(test.cases.map((c) => c.input), manifest.inputSignature);
  const scores = model.predict(frame);
  const classes = manifest.outputSignature.classes ?? null;
  const k = model.outputs;
  const examples: Record<string, unknown>[] = [];
  let failures = 0;
  test.cases.forEach((c, i) => {
    let got: string | number;
    let ok: boolean;
    if (c.expected_range !== undefined) {
      got = scores[i * k];
      ok = got >= c.expected_range[0] && got <= c.expected_range[1];
    } else {
      if (classes === null) throw spec(test.name, `cases.${i}.expected`, 'a regression model predicts numbers; use expected_range');
      if (!classes.includes(c.expected!)) throw spec(test.name, `cases.${i}.expected`, `"${c.expected}" is not a class of the model (${classes.join(', ')})`);
      if (k === 1) got = classes[scores[i] >= threshold ? 1 : 0];
      else {
        let best = 0;
        for (let j = 1; j < k; j++) if (scores[i * k + j] > scores[i * k + best]) best = j;
        got = classes[best];
      }
      ok = got === c.expected;
    }
    if (!ok) {
      failures++;
      if (examples.length < 5) examples.push({ case: c.name ?? `#${i + 1}`, expected: c.expected ?? c.expected_range, got, score: scores[i * k] });
    }
  });
  return { name: test.name, kind: 'minimum_functionality', passed: failures === 0, cases: test.cases.length, failures, examples };
}

/** Up to `n` rows of `frame`, drawn without replacement with a seeded shuffle, in ascending row order. */
function sampleRows(frame: Frame, n: number, seed: number): Frame {
  if (frame.length <= n) return frame;
  const order = new Random(seed).shuffle(Int32Array.from({ length: frame.length }, (_, i) => i));
  return frame.take(order.slice(0, n).sort());
}

/** `column` with the perturbation applied to every row (a set value fills nulls too; arithmetic keeps nulls null). */
export function perturbColumn(column: Column, perturb: Perturbation, test: string): Column {
  const n = column.length;
  if ('set' in perturb) {
    const v = perturb.set;
    if (v === null) return { ...column, validity: new Uint8Array(Math.ceil(n / 8)) } as Column;
    switch (column.type) {
      case 'category': {
        const text = String(v);
        const at = column.dictionary.indexOf(text);
        const dictionary = at >= 0 ? column.dictionary : [...column.dictionary, text];
        return { ...column, validity: null, dictionary, codes: new Int32Array(n).fill(at >= 0 ? at : dictionary.length - 1) };
      }
      case 'string':
        return { ...column, validity: null, values: new Array<string>(n).fill(String(v)) };
      case 'bool':
        return { ...column, validity: null, values: new Uint8Array(n).fill(v === true || v === 'true' || v === 1 ? 1 : 0) };
      case 'float':
      case 'int':
      case 'timestamp': {
        if (typeof v !== 'number') throw spec(test, 'perturb.set', `"${column.name}" is ${column.type}; set a number`);
        const values = column.type === 'int' && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? new Int32Array(n).fill(v) : new Float64Array(n).fill(v);
        return { ...column, validity: null, values } as Column;
      }
      default:
        throw spec(test, 'perturb', `"${column.name}" is ${column.type}, which cannot be perturbed`);
    }
  }
  if (column.type !== 'float' && column.type !== 'int') throw spec(test, 'perturb', `"${column.name}" is ${column.type}; add and scale need a numeric column (use set)`);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = 'add' in perturb ? column.values[i] + perturb.add : column.values[i] * perturb.scale;
  return { ...column, type: 'float', values } as Column;
}

function spec(name: string, field: string, problem: string): LoomError {
  return new LoomError('EVAL_BEHAVIOURAL_SPEC_INVALID', { name, field, problem }, { details: { field, test: name } });
}
