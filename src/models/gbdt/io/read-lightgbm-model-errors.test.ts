import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoomError, type LoomError } from '../../../core/errors/index.js';
import { Random } from '../../../core/random.js';
import { predictBatch } from '../predict/predict-batch.js';
import { readLightGbmModel } from './read-lightgbm-model.js';

const TEXT = readFileSync(join(import.meta.dirname, 'fixtures', 'binary-categorical-nan.txt'), 'utf8');
const MULTI = readFileSync(join(import.meta.dirname, 'fixtures', 'multiclass.txt'), 'utf8');

function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  assert.notEqual(out, text, `the edit ${String(from)} changed nothing`);
  return out;
}

function lineOf(text: string, prefix: string): number {
  return text.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
}

function failure(text: unknown): LoomError {
  try {
    readLightGbmModel(text as string);
  } catch (err) {
    assert.ok(isLoomError(err), `expected a LoomError, got ${String(err)}`);
    return err;
  }
  assert.fail('the text was accepted');
}

const EIGHT_TREES = edit(MULTI, /Tree=8\n[\s\S]*?\n\n\n/, '').replace(/tree_sizes=.*\n/, '');

/** [case, text, code, line, field] */
const CASES: [string, unknown, string, number, string][] = [
  ['empty text', '', 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 1, 'tree'],
  ['not a string', null, 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 0, 'text'],
  ['another first line', edit(TEXT, /^tree\n/, 'booster\n'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 1, 'tree'],
  // A missing header line is reported at the line where the header ends.
  ['no num_class', edit(TEXT, 'num_class=1\n', ''), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 11, 'num_class'],
  ['feature_names too short', edit(TEXT, 'feature_names=x0 x1 x2', 'feature_names=x0 x1'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 8, 'feature_names'],
  ['bad feature_infos entry', edit(TEXT, '[-0.98599999999999999:0.94399999999999995]', '[-0.98'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 9, 'feature_infos'],
  ['a leaf value that is not a number', edit(TEXT, 'leaf_value=-0.67181001055825862', 'leaf_value=-0.67x'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'leaf_value='), 'leaf_value'],
  ['a threshold missing', edit(TEXT, 'threshold=0.64050000000000018 ', 'threshold='), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'threshold='), 'threshold'],
  ['a child out of range', edit(TEXT, 'left_child=1 -1 -3 -2', 'left_child=1 -1 -3 -9'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 12, 'left_child'],
  ['a cycle', edit(TEXT, 'left_child=1 -1 -3 -2', 'left_child=1 -1 -3 0'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 12, 'left_child'],
  ['a leaf reached twice', edit(TEXT, 'left_child=1 -1 -3 -2', 'left_child=1 -1 -3 -1'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 12, 'left_child'],
  ['a split feature out of range', edit(TEXT, 'split_feature=0 0 1 0', 'split_feature=0 0 3 0'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'split_feature='), 'split_feature'],
  ['missing type 3', edit(TEXT, 'decision_type=8 10 9 10', 'decision_type=12 10 9 10'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'decision_type='), 'decision_type'],
  ['a categorical bitset index out of range', edit(TEXT, 'threshold=0.64050000000000018 -0.73399999999999987 0 ', 'threshold=0.64050000000000018 -0.73399999999999987 1 '), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'threshold='), 'threshold'],
  ['cat_boundaries past cat_threshold', edit(TEXT, 'cat_boundaries=0 1\ncat_threshold=81', 'cat_boundaries=0 2\ncat_threshold=81'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'cat_threshold='), 'cat_threshold'],
  ['no num_leaves', edit(TEXT, /num_leaves=5\n/, ''), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 12, 'num_leaves'],
  ['num_leaves beyond LightGBM\'s limit', edit(TEXT, /num_leaves=5\n/, 'num_leaves=999999999\n'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 13, 'num_leaves'],
  ['a tree numbered out of order', edit(TEXT, 'Tree=1\n', 'Tree=7\n'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'Tree=1'), 'Tree'],
  // Tree 1's lines run into tree 0's: its num_leaves (line 31 of the edited text) repeats tree 0's.
  ['two trees without a blank line', edit(TEXT, /shrinkage=1\n\n\nTree=1\n/, 'shrinkage=1\n'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 31, 'num_leaves'],
  ['cut short in the trees', TEXT.slice(0, TEXT.indexOf('Tree=2')), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'Tree=2'), 'end of trees'],
  ['cut short in the parameters', TEXT.slice(0, TEXT.indexOf('end of parameters')), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'parameters:'), 'parameters'],
  ['a malformed parameter line', edit(TEXT, '[boosting: gbdt]', 'boosting=gbdt'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, '[boosting: gbdt]'), 'parameters'],
  ['tree_sizes for more trees', edit(TEXT, 'tree_sizes=679 681 666 677', 'tree_sizes=679 681 666 677 1'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 10, 'tree_sizes'],
  ['bad JSON in the loom section', TEXT + '\nloom:\nfeatures=[{"name":\nend of loom\n', 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'end of parameters') + 3, 'features'],
  ['a loom section with too few features', TEXT + '\nloom:\nfeatures=[]\nend of loom\n', 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'end of parameters') + 3, 'features'],
  ['bad pandas_categorical JSON', TEXT + '\npandas_categorical:[["a"\n', 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(TEXT, 'end of parameters') + 2, 'pandas_categorical'],
  ['multiclass with a wrong num_tree_per_iteration', edit(MULTI, 'num_tree_per_iteration=3', 'num_tree_per_iteration=2'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 7, 'num_tree_per_iteration'],
  ['multiclass missing a class\'s last tree', EIGHT_TREES, 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', lineOf(EIGHT_TREES, 'end of trees'), 'end of trees'],
  ['a linear tree', edit(TEXT, 'is_linear=0', 'is_linear=1'), 'LOOM_ERR_GBDT_MODEL_UNSUPPORTED', lineOf(TEXT, 'is_linear='), 'is_linear'],
  ['random-forest averaging', edit(TEXT, 'feature_names=', 'average_output\nfeature_names='), 'LOOM_ERR_GBDT_MODEL_UNSUPPORTED', 8, 'average_output'],
  ['an objective Loom does not run (rank_xendcg)', edit(TEXT, 'objective=binary sigmoid:0.8', 'objective=rank_xendcg'), 'LOOM_ERR_GBDT_MODEL_UNSUPPORTED', 7, 'objective'],
  ['square-root regression', edit(TEXT, 'objective=binary sigmoid:0.8', 'objective=regression sqrt'), 'LOOM_ERR_GBDT_MODEL_UNSUPPORTED', 7, 'objective'],
  ['a negative sigmoid', edit(TEXT, 'objective=binary sigmoid:0.8', 'objective=binary sigmoid:-1'), 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID', 7, 'objective'],
];

for (const [name, text, code, line, field] of CASES) {
  test(`malformed model text: ${name} → ${code.slice(9)} at line ${line}, field ${field}`, () => {
    const err = failure(text);
    assert.equal(err.code, code);
    assert.equal(err.statusCode, 400);
    assert.deepEqual([err.details?.line, err.details?.field], [line, field]);
  });
}

test('the fixture edits above are the only problems: the unedited texts load', () => {
  assert.equal(readLightGbmModel(TEXT).trees.length, 4);
  assert.equal(readLightGbmModel(MULTI).trees.length, 9);
});

test('CRLF line ends and a missing final line end are accepted', () => {
  const crlf = readLightGbmModel(TEXT.replaceAll('\n', '\r\n').trimEnd());
  const plain = readLightGbmModel(TEXT);
  const columns = [Float64Array.of(0.5, Number.NaN), Float64Array.of(4, 2), Float64Array.of(0, 1)];
  assert.deepEqual(predictBatch(crlf, { columns }), predictBatch(plain, { columns }));
});

test('random corruption never crashes the reader: every result is a model or a coded 400 error', () => {
  const rng = new Random(11);
  const alphabet = '0123456789 -=.\nTreanx[]:';
  let errors = 0;
  for (let round = 0; round < 400; round++) {
    const chars = [...TEXT];
    const edits = 1 + rng.nextInt(4);
    for (let e = 0; e < edits; e++) {
      const at = rng.nextInt(chars.length);
      const kind = rng.nextInt(3);
      if (kind === 0) chars.splice(at, 1);
      else if (kind === 1) chars.splice(at, 0, alphabet[rng.nextInt(alphabet.length)]);
      else chars[at] = alphabet[rng.nextInt(alphabet.length)];
    }
    try {
      const model = readLightGbmModel(chars.join(''));
      predictBatch(model, { columns: model.features.map(() => Float64Array.of(0.5, Number.NaN, -1)) });
    } catch (err) {
      assert.ok(isLoomError(err), `round ${round}: ${String(err)}`);
      assert.ok(err.code === 'LOOM_ERR_GBDT_MODEL_FORMAT_INVALID' || err.code === 'LOOM_ERR_GBDT_MODEL_UNSUPPORTED', `round ${round}: ${err.code}`);
      assert.equal(err.statusCode, 400);
      errors++;
    }
  }
  assert.ok(errors > 100, `only ${errors} of 400 corruptions were rejected`);
});
