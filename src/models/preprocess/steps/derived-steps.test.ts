import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryColumn, floatColumn, stringColumn, timestampColumn } from '../../../core/frame/column-builders.js';
import { Frame } from '../../../core/frame/frame.js';
import { murmurHash3String } from '../hashing/murmur-hash3.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { PreprocessStep } from './preprocess-step.js';

/** Matches a LoomError by code and by the given `details` entries (others may be present). */
const coded = (code: string, details: Record<string, unknown>) => (err: unknown) => {
  const e = err as { code?: string; details?: Record<string, unknown> };
  assert.equal(e.code, code);
  for (const [key, value] of Object.entries(details)) assert.deepEqual(e.details?.[key], value, key);
  return true;
};

const fit = (steps: unknown[], frame: Frame) => Pipeline.create(steps).fitTransform(frame, { target: null });

test('hashing: column = h mod n of MurmurHash3("<column>=<value>", seed), signed by the top bit', () => {
  const frame = new Frame([categoryColumn('city', ['paris', 'oslo', null, 'paris']), stringColumn('pet', ['cat', 'dog', 'cat', null])]);
  const n = 8;
  const seed = 42;
  const { frame: out } = fit([PreprocessStep.hash({ columns: ['city', 'pet'], nFeatures: n, seed })], frame);
  assert.deepEqual(out.names, Array.from({ length: n }, (_, j) => `hash_${j}`));
  const expected = [['paris', 'cat'], ['oslo', 'dog'], [null, 'cat'], ['paris', null]].map(([city, pet]) => {
    const row = new Array<number>(n).fill(0);
    for (const key of [city === null ? null : `city=${city}`, pet === null ? null : `pet=${pet}`]) {
      if (key === null) continue;
      const h = murmurHash3String(key, seed);
      row[h % n] += h >= 2 ** 31 ? -1 : 1;
    }
    return row;
  });
  assert.deepEqual(out.toRecords().map(Object.values), expected);
  // A pinned anchor, so a change of hash or key format cannot pass unnoticed: 0xb4e1dcdd → column 5, sign −1.
  assert.equal(murmurHash3String('city=paris', 42), 0xb4e1dcdd);
  assert.equal(out.toRecords()[3].hash_5, -1);
  const unsigned = fit([PreprocessStep.hash({ columns: ['pet'], nFeatures: 4, alternateSign: false, name: 'h' })], frame).frame;
  assert.deepEqual(unsigned.names, ['city', 'h_0', 'h_1', 'h_2', 'h_3']);
  const sums = unsigned.toRecords().map((r) => (r.h_0 as number) + (r.h_1 as number) + (r.h_2 as number) + (r.h_3 as number));
  assert.deepEqual(sums, [1, 1, 1, 0]);
  assert.throws(() => PreprocessStep.hash({ columns: ['pet'], nFeatures: 0 }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'nFeatures' }));
});

test('cross: a category of value pairs after the second input; nulls propagate', () => {
  const frame = new Frame([categoryColumn('a', ['x', 'y', 'x', null]), stringColumn('b', ['1', '1', '2', '2']), floatColumn('z', [0, 0, 0, 0])]);
  const { frame: out } = fit([PreprocessStep.cross({ columns: ['a', 'b'] })], frame);
  assert.deepEqual(out.names, ['a', 'b', 'a*b', 'z']);
  assert.deepEqual(out.toRecords().map((r) => r['a*b']), ['x*1', 'y*1', 'x*2', null]);
  const named = fit([PreprocessStep.cross({ columns: ['a', 'b'], name: 'ab' }), PreprocessStep.oneHot({ columns: ['ab'] })], frame);
  assert.deepEqual(named.fitted.featureNames, ['a', 'b', 'ab=x*1', 'ab=x*2', 'ab=y*1', 'ab=__other__', 'z']);
  assert.throws(() => PreprocessStep.cross({ columns: ['a', 'a'] }), coded('LOOM_ERR_PREPROCESS_STEP_INVALID', { field: 'columns' }));
});

test('ratio: safe divide with a fill for zero denominators; nulls propagate', () => {
  const frame = new Frame([floatColumn('a', [1, 2, 3, null, 5]), floatColumn('b', [2, 0, 4, 1, null])]);
  const { frame: out } = fit([PreprocessStep.ratio({ numerator: 'a', denominator: 'b' })], frame);
  assert.deepEqual(out.toRecords().map((r) => r['a/b']), [0.5, 0, 0.75, null, null]);
  const filled = fit([PreprocessStep.ratio({ numerator: 'a', denominator: 'b', name: 'q', fillValue: -1 })], frame).frame;
  assert.deepEqual(filled.toRecords().map((r) => r.q), [0.5, -1, 0.75, null, null]);
  assert.throws(() => fit([PreprocessStep.ratio({ numerator: 'a', denominator: 'c' })], frame), coded('LOOM_ERR_PREPROCESS_COLUMN_UNKNOWN', { field: 'c' }));
});

test('datetime parts in UTC replace the timestamp (or follow it with keep)', () => {
  const frame = new Frame([timestampColumn('at', ['2024-02-29T23:15:00Z', null, '1999-12-31T00:00:00Z'])]);
  const { frame: out } = fit([PreprocessStep.datetimeParts({ columns: ['at'] })], frame);
  assert.deepEqual(out.toRecords(), [
    { at_year: 2024, at_month: 2, at_day: 29, at_weekday: 3, at_hour: 23 },
    { at_year: null, at_month: null, at_day: null, at_weekday: null, at_hour: null },
    { at_year: 1999, at_month: 12, at_day: 31, at_weekday: 4, at_hour: 0 },
  ]);
  const kept = fit([PreprocessStep.datetimeParts({ columns: ['at'], parts: ['hour', 'year'], keep: true })], frame).frame;
  assert.deepEqual(kept.names, ['at', 'at_year', 'at_hour'], 'parts come in their fixed order');
  assert.throws(() => fit([PreprocessStep.datetimeParts({ columns: ['at'] })], new Frame([floatColumn('at', [1])])), coded('LOOM_ERR_PREPROCESS_COLUMN_TYPE', { field: 'at' }));
});

test('drop removes columns, and a dropped column is not needed at transform', () => {
  const frame = new Frame([floatColumn('id', [1, 2]), floatColumn('x', [3, 4])]);
  const { fitted, frame: out } = fit([PreprocessStep.drop({ columns: ['id'] })], frame);
  assert.deepEqual(out.names, ['x']);
  assert.deepEqual(fitted.state.inputs, [{ name: 'x', type: 'float' }]);
  assert.deepEqual(fitted.transform(new Frame([floatColumn('x', [9])])).toRecords(), [{ x: 9 }]);
});
