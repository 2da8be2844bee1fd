import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn, intColumn, stringColumn, timestampColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { PreprocessStep } from '../steps/preprocess-step.js';
import { FittedPipeline } from './fitted-pipeline.js';
import { Pipeline } from './pipeline.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const train = new Frame([
  intColumn('age', [25, null, 47, 33, 61, 52]),
  categoryColumn('job', ['clerk', 'chef', 'clerk', null, 'pilot', 'clerk']),
  floatColumn('income', [30, 20, 55, 41, 90, 60]),
  floatColumn('debt', [3, 0, 11, 4, 9, 6]),
  timestampColumn('joined', ['2020-01-01T08:00:00Z', '2021-06-15T12:00:00Z', '2019-03-03T00:00:00Z', '2022-11-30T23:00:00Z', '2018-07-04T09:00:00Z', '2023-02-28T18:00:00Z']),
  stringColumn('note', ['a', 'b', 'c', 'd', 'e', 'f'], ['id']),
  categoryColumn('churn', ['no', 'no', 'yes', 'no', 'yes', 'yes'], ['target']),
]);

const pipeline = Pipeline.create([
  PreprocessStep.impute({ columns: ['age'], strategy: 'median', indicator: true }),
  PreprocessStep.impute({ columns: ['job'], strategy: 'most_frequent' }),
  PreprocessStep.ratio({ numerator: 'debt', denominator: 'income' }),
  PreprocessStep.datetimeParts({ columns: ['joined'], parts: ['year', 'month'] }),
  PreprocessStep.oneHot({ columns: ['job'], minFrequency: 2 }),
  PreprocessStep.robustScale({ columns: ['income'] }),
  PreprocessStep.standardScale({ columns: ['age', 'debt'] }),
]);

test('fit uses only the training frame; transform of the same rows reproduces the training output', () => {
  const { fitted, frame } = pipeline.fitTransform(train);
  assert.equal(fitted.state.target, 'churn');
  assert.deepEqual(fitted.featureNames, ['age', 'age_missing', 'job=clerk', 'job=__other__', 'income', 'debt/income', 'debt', 'joined_year', 'joined_month']);
  assert.deepEqual(fitted.state.inputs.map((c) => c.name), ['age', 'job', 'income', 'debt', 'joined'], 'id and target columns are not inputs');
  assert.deepEqual(frame.names, [...fitted.featureNames, 'churn'], 'the target passes through at the end');
  assert.deepEqual(fitted.transform(train).toRecords(), frame.toRecords());
  const again = pipeline.fit(train);
  assert.equal(again.toCanonicalJson(), fitted.toCanonicalJson(), 'fitting is deterministic');
});

test('the fitted state is data: canonical JSON round-trips exactly and transforms identically', () => {
  const fitted = pipeline.fit(train);
  const text = fitted.toCanonicalJson();
  const restored = FittedPipeline.fromJSON(text);
  assert.equal(restored.toCanonicalJson(), text);
  assert.deepEqual(JSON.parse(JSON.stringify(fitted)), JSON.parse(text));
  const serving = train.slice(2, 5).drop(['churn']);
  assert.deepEqual(restored.transformMatrix(serving).values, fitted.transformMatrix(serving).values);
  assert.ok(Object.isFrozen(fitted.state) && Object.isFrozen(fitted.state.steps[0]));
});

test('transformMatrix writes row-major features into a caller-owned buffer; nulls become NaN', () => {
  const fitted = Pipeline.create([PreprocessStep.drop({ columns: ['job', 'joined'] })]).fit(train);
  assert.deepEqual(fitted.featureNames, ['age', 'income', 'debt']);
  const out = new Float64Array(20).fill(-7);
  const X = fitted.transformMatrix(train.slice(0, 2), out);
  assert.equal(X.values.buffer, out.buffer, 'written in place');
  assert.deepEqual([X.rows, X.cols, X.names], [2, 3, ['age', 'income', 'debt']]);
  assert.deepEqual(Array.from(out.subarray(0, 7)), [25, 30, 3, Number.NaN, 20, 0, -7]);
  assert.throws(() => fitted.transformMatrix(train, new Float64Array(5)), coded('LOOM_ERR_MODEL_INPUT_INVALID', { field: 'out' }));
  const raw = Pipeline.create([]).fit(train.drop(['joined']));
  assert.throws(() => raw.transformMatrix(train), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'job' }));
});

test('serving input is checked against the fitted inputs: missing columns and wrong types are coded errors', () => {
  const fitted = pipeline.fit(train);
  assert.throws(() => fitted.transform(train.drop(['debt'])), coded('LOOM_ERR_PREPROCESS_COLUMN_MISSING', { field: 'debt' }));
  const retyped = train.withColumn(stringColumn('income', ['1', '2', '3', '4', '5', '6']));
  assert.throws(() => fitted.transform(retyped), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'income', actual: 'string', expected: 'float' }));
  // Compatible stand-ins are accepted: int for float, string for category; extra columns are ignored.
  const standIns = train
    .withColumn(intColumn('income', [30, 20, 55, 41, 90, 60]))
    .withColumn(stringColumn('job', ['clerk', 'chef', 'clerk', null, 'pilot', 'clerk']))
    .withColumn(floatColumn('extra', [0, 0, 0, 0, 0, 0]));
  assert.deepEqual(fitted.transform(standIns).toRecords(), fitted.transform(train).toRecords());
});

test('bad pipelines: unknown columns, a step reading the target, an unknown target', () => {
  assert.throws(() => Pipeline.create([PreprocessStep.oneHot({ columns: ['jobb'] })]).fit(train), coded('LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN', { field: 'jobb' }));
  assert.throws(() => Pipeline.create([PreprocessStep.oneHot({ columns: ['churn'] })]).fit(train), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'churn' }));
  assert.throws(() => pipeline.fit(train, { target: 'label' }), coded('LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN', { field: 'label' }));
  assert.throws(() => Pipeline.create([{ kind: 'one_hot', columns: ['job'], minFrequency: 0 }]), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'minFrequency' }));
  // A column consumed by an earlier step no longer exists for a later one.
  assert.throws(() => Pipeline.create([PreprocessStep.oneHot({ columns: ['job'] }), PreprocessStep.ordinal({ columns: ['job'] })]).fit(train), coded('LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN', { field: 'job' }));
});

test('a tampered or foreign state is rejected with MODEL_STATE_INVALID naming the member', () => {
  const state = JSON.parse(pipeline.fit(train).toCanonicalJson());
  const broken = (edit: (s: any) => void) => {
    const copy = structuredClone(state);
    edit(copy);
    return () => new FittedPipeline(copy);
  };
  assert.throws(() => FittedPipeline.fromJSON('{not json'), coded('LOOM_ERR_MODEL_STATE_INVALID', {}));
  assert.throws(broken((s) => (s.version = 2)), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'version' }));
  assert.throws(broken((s) => (s.steps[0].kind = 'eval')), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'steps.0.kind' }));
  assert.throws(broken((s) => s.steps[0].fills.push(1)), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'steps.0.fills' }));
  assert.throws(broken((s) => (s.steps[4].code = 'x')), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'steps.4.code' }));
  assert.throws(broken((s) => (s.steps[6].scales[0] = 0)), coded('LOOM_ERR_MODEL_STATE_INVALID', { field: 'steps.6.scales.0' }));
});
