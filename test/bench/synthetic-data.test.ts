import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { mulberry32, SYNTHETIC_CHECK, SYNTHETIC_FEATURES, SyntheticHiggs, syntheticCsvLine } from '../../bench/gbdt/synthetic-data.js';

test('mulberry32(42) gives the reference stream', () => {
  // From the widely published one-line mulberry32 (state += 0x6D2B79F5, two imul rounds), outputs × 2^32.
  const next = mulberry32(42);
  const first = [next(), next(), next()].map((u) => Math.round(u * 4294967296));
  assert.deepEqual(first, [2581720956, 1925393290, 3661312704]);
});

test('the first three rows equal the anchor file', () => {
  const gen = new SyntheticHiggs();
  const x = new Float64Array(SYNTHETIC_FEATURES);
  const lines = [0, 1, 2].map(() => syntheticCsvLine(gen.nextRow(x), x));
  // Row 0 begins with the anchor's printed check values.
  assert.ok(lines[0].startsWith(SYNTHETIC_CHECK.row0), lines[0]);
  // Rows 1 and 2 as they appear in a synth_train.csv whose SHA-256 matched the anchor's (72e1b64e…7bfd27).
  assert.ok(lines[1].startsWith('0,0.208508,0.339011,-0.514767,0.419182,-1.078022,'), lines[1]);
  assert.ok(lines[2].startsWith('1,1.553489,1.814244,0.482561,0.048195,-0.939271,'), lines[2]);
  // All three whole lines (labels, 28 features each), hashed from that same file.
  assert.equal(createHash('sha256').update(lines.join('\n') + '\n').digest('hex'), '80d79a00f4b048da699d52120f094ad028f592154ab040086c9a8cc4be4e847a');
});
