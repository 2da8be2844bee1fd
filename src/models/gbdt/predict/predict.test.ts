import assert from 'node:assert/strict';
import { test } from 'node:test';
import { child, modelOf, randomTree } from '../../../../test/support/gbdt-random-trees.js';
import { Random } from '../../../core/random.js';
import type { Tree } from '../tree/tree.js';
import { addTreesToBlock, compileTrees, normalizeRows } from './compiled-trees.js';
import { predictBatch } from './predict-batch.js';
import { predictRow } from './predict-row.js';
import { rowCodeBytes } from './row-code.js';
import { BLOCK_ROWS, recordWalkBlock, scoringBlock } from './scoring-block.js';

/** The raw score of one row, tree by tree, with the independent statement of LightGBM's decision. */
function reference(trees: readonly Tree[], numOutputs: number, x: readonly number[]): number[] {
  const out = new Array<number>(numOutputs).fill(0);
  trees.forEach((tree, t) => {
    let node = 0;
    if (tree.numLeaves > 1) while (node >= 0) node = child(tree, node, x[tree.splitFeature[node]]);
    else node = ~0;
    out[t % numOutputs] += tree.leafValue[~node];
  });
  return out;
}

// Values that hit every path: NaN, ±0 and values within LightGBM's zero threshold (missing type Zero), thresholds
// exactly (random thresholds are -1, 0 and 1), and categories that are negative, fractional, unseen or beyond int32.
const VALUES = [Number.NaN, 0, -0, 1e-36, -1e-36, -1, 1, 0.5, -2, 2, 3, 5, 2.7, 40, 2 ** 31, 2 ** 32 + 1, 1e300, -Infinity, Infinity];

test('batch (WebAssembly), single-row (generated code and record walk) and JavaScript walks equal a tree-by-tree reference bit for bit, with every missing type mixed within a feature', () => {
  const rng = new Random(17);
  for (let round = 0; round < 20; round++) {
    const numOutputs = 1 + (round % 3);
    // 3 to 9 trees: groups of four and the trees left over in the single-row walk; some trees are one leaf.
    const trees = Array.from({ length: 3 * numOutputs }, () => randomTree(rng, 1 + rng.nextInt(21)));
    const model = numOutputs === 1 ? modelOf(trees, 4) : modelOf(trees, 4, 'multiclass', numOutputs);
    // More rows than one block, so the block boundary is crossed.
    const numRows = BLOCK_ROWS + 37;
    const columns = [0, 1, 2, 3].map(() => Float64Array.from({ length: numRows }, () => VALUES[rng.nextInt(VALUES.length)]));
    const batch = predictBatch(model, { columns }, undefined, { rawScore: true });
    const compiled = compileTrees(trees, numOutputs, 4);
    const one = new Float64Array(numOutputs);
    const values = new Float64Array(compiled.numColumns);
    const js = new Float64Array(numOutputs);
    const walked = recordWalkBlock(compiled);
    if (walked.rowWalk !== 'javascript') {
      assert.equal(walked.rowWalk, 'records');
      assert.equal(scoringBlock(model.compiled).rowWalk, 'generated', 'predictRow walks these small models with generated code');
    }
    for (let r = 0; r < numRows; r++) {
      const x = columns.map((c) => c[r]);
      const expected = reference(trees, numOutputs, x);
      predictRow(model, Float64Array.from(x), one, { rawScore: true });
      values.set(x);
      normalizeRows(compiled, values, 1);
      js.fill(0);
      addTreesToBlock(compiled, 0, trees.length, values, 1, js);
      walked.values.set(values);
      walked.raw.fill(0, 0, numOutputs);
      walked.addTrees(0, trees.length, 1);
      for (let k = 0; k < numOutputs; k++) {
        const where = `round ${round} row ${r} output ${k} x=${x}`;
        assert.equal(batch[r * numOutputs + k], expected[k], `batch, ${where}`);
        assert.equal(one[k], expected[k], `single row, ${where}`);
        assert.equal(js[k], expected[k], `JavaScript walk, ${where}`);
        assert.equal(walked.raw[k], expected[k], `single row, record walk, ${where}`);
      }
    }
  }
});

test('a feature whose nodes use three missing types gets two extra columns, filled from it before any rewrite', () => {
  const rng = new Random(3);
  let trees: Tree[] = [];
  let compiled = compileTrees(trees, 1, 4);
  // Draw until feature 0 is split with all three missing types somewhere in the forest.
  while (compiled.numColumns < 6) {
    trees = Array.from({ length: 8 }, () => randomTree(rng, 12));
    compiled = compileTrees(trees, 1, 4);
  }
  assert.deepEqual(Array.from(compiled.columnSource.subarray(0, 4)), [0, 1, 2, 3]);
  const values = new Float64Array(compiled.numColumns);
  values.set([0, Number.NaN, 0, 2]);
  normalizeRows(compiled, values, 1);
  for (let j = 4; j < compiled.numColumns; j++) {
    const source = compiled.columnSource[j];
    const raw = [0, Number.NaN, 0, 2][source];
    // Each extra column starts from the raw value of its feature, then gets its own rewrite: None maps NaN to 0,
    // Zero maps 0 to NaN, NaN keeps the value.
    const expected = compiled.columnRewrite[j] === 0 ? (Number.isNaN(raw) ? 0 : raw) : compiled.columnRewrite[j] === 1 ? (raw === 0 ? Number.NaN : raw) : raw;
    assert.ok(Object.is(values[j], expected), `column ${j} (feature ${source}, rewrite ${compiled.columnRewrite[j]}): ${values[j]} vs ${expected}`);
  }
});

test('the generated single-row walk, split over several functions, stops at endTree (numIterations), and a model past its leaf budget keeps the record walk', () => {
  const rng = new Random(5);
  // 200 trees of up to 15 leaves: about 100 kB of code, in several parts (row-code.ts), so some iteration counts
  // end inside a part and some at a part's end.
  const trees = Array.from({ length: 200 }, () => randomTree(rng, 1 + rng.nextInt(15)));
  const model = modelOf(trees, 4);
  const one = new Float64Array(1);
  for (let r = 0; r < 20; r++) {
    const x = Float64Array.from({ length: 4 }, () => VALUES[rng.nextInt(VALUES.length)]);
    for (const iterations of [1, 5, 37, 100, 151, 200]) {
      predictRow(model, x, one, { rawScore: true, numIterations: iterations });
      assert.equal(one[0], reference(trees.slice(0, iterations), 1, Array.from(x))[0], `row ${r}, ${iterations} iterations, x=${x}`);
    }
  }
  const bytes = rowCodeBytes(compileTrees(trees, 1, 4), { values: 0, raw: 0, catWords: 0 });
  assert.ok(bytes !== null && bytes.length > 3 * 16_384, `${bytes?.length} bytes of code: several parts`);
  if (scoringBlock(model.compiled).rowWalk !== 'javascript') assert.equal(scoringBlock(model.compiled).rowWalk, 'generated');
  const x = Float64Array.of(0.5, Number.NaN, 2, -1);
  // 600 trees of 15 leaves: 9000 leaves, past ROW_CODE_MAX_LEAVES, so rowCodeBytes declines and walkRow answers.
  const big = Array.from({ length: 600 }, () => randomTree(rng, 15));
  const compiled = compileTrees(big, 1, 4);
  assert.equal(rowCodeBytes(compiled, { values: 0, raw: 0, catWords: 0 }), null);
  const block = scoringBlock(compiled);
  block.values.set(x);
  normalizeRows(compiled, block.values, 1);
  block.raw[0] = 0;
  block.addTrees(0, big.length, 1);
  assert.equal(block.raw[0], reference(big, 1, Array.from(x))[0]);
  if (block.rowWalk !== 'javascript') assert.equal(block.rowWalk, 'records');
});
