import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ModelArtifact } from './model-artifact.js';
import { currentGitSha, loadModelArtifact, MODEL_FORMAT_VERSION, saveModelArtifact } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'loom-model-artifact-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `m${n++}`);

function artifact(): ModelArtifact {
  const weights = new Float64Array([0.5, -1.25, 3]);
  return {
    manifest: {
      flavor: 'linear',
      inputSignature: { columns: [{ name: 'age', type: 'float', nullable: true, tags: [] }, { name: 'plan', type: 'category', nullable: false, tags: [], categories: ['a', 'b'] }] },
      outputSignature: { task: 'binary', outputs: [{ name: 'p_yes', type: 'float' }], classes: ['no', 'yes'] },
      preprocessing: { steps: [{ kind: 'standard_scaler', column: 'age', mean: 40, std: 12 }] },
      params: { l2: 0.1, max_iter: 100 },
      metrics: { auc: 0.91, logloss: 0.31 },
      referenceProfile: null,
      lineage: { datasets: [{ role: 'train', name: 'adult', version: 'a'.repeat(64) }], gitSha: null, seed: 7, createdAt: '2026-11-26T12:00:00.000Z', loomVersion: '0.1.0' },
    },
    files: new Map([
      ['weights.f64', new Uint8Array(weights.buffer)],
      ['model.json', new TextEncoder().encode('{"intercept":0.25}')],
    ]),
  };
}

test('save then load round-trips every field and byte, and the id is the manifest hash', async () => {
  const dir = fresh();
  const saved = await saveModelArtifact(dir, artifact());
  const loaded = await loadModelArtifact(dir);
  assert.equal(loaded.id, saved.id);
  assert.equal(loaded.formatVersion, MODEL_FORMAT_VERSION);
  assert.deepEqual(loaded.manifest, artifact().manifest);
  assert.deepEqual([...new Float64Array(loaded.files.get('weights.f64')!.slice().buffer)], [0.5, -1.25, 3]);
  assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'model.json', 'weights.f64']);
  assert.deepEqual(readdirSync(root).filter((f) => f.startsWith('.')), [], 'no staging directory left behind');
});

test('saving the same model twice gives byte-identical directories; key order does not matter', async () => {
  const a = fresh();
  const b = fresh();
  await saveModelArtifact(a, artifact());
  const reordered = artifact();
  await saveModelArtifact(b, { ...reordered, manifest: { ...reordered.manifest, params: { max_iter: 100, l2: 0.1 } } });
  for (const file of ['manifest.json', 'model.json', 'weights.f64']) assert.deepEqual(readFileSync(join(a, file)), readFileSync(join(b, file)), file);
});

test('an existing directory is refused unless overwrite is set', async () => {
  const dir = fresh();
  await saveModelArtifact(dir, artifact());
  await assert.rejects(saveModelArtifact(dir, artifact()), { code: 'LOOM_ERR_ARTIFACT_MODEL_EXISTS', statusCode: 409 });
  const changed = artifact();
  const { id } = await saveModelArtifact(dir, { ...changed, manifest: { ...changed.manifest, metrics: { auc: 0.5 } } }, { overwrite: true });
  assert.equal((await loadModelArtifact(dir)).id, id);
});

test('a tampered weight file, an edited manifest, a missing file and a newer format are refused with codes', async () => {
  const weights = fresh();
  await saveModelArtifact(weights, artifact());
  const bytes = readFileSync(join(weights, 'weights.f64'));
  bytes[3] ^= 1;
  writeFileSync(join(weights, 'weights.f64'), bytes);
  await assert.rejects(loadModelArtifact(weights), (err: { code?: string; details?: { field?: string } }) => err.code === 'LOOM_ERR_ARTIFACT_MODEL_TAMPERED' && err.details?.field === 'weights.f64');

  const edited = fresh();
  await saveModelArtifact(edited, artifact());
  const manifestPath = join(edited, 'manifest.json');
  writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"l2": 0.1', '"l2": 10'));
  await assert.rejects(loadModelArtifact(edited), (err: { code?: string; details?: { field?: string } }) => err.code === 'LOOM_ERR_ARTIFACT_MODEL_TAMPERED' && err.details?.field === 'manifest.json');

  const missing = fresh();
  await saveModelArtifact(missing, artifact());
  unlinkSync(join(missing, 'model.json'));
  await assert.rejects(loadModelArtifact(missing), { code: 'LOOM_ERR_ARTIFACT_MODEL_FILE_MISSING', statusCode: 404 });
  await assert.rejects(loadModelArtifact(join(root, 'nothing-here')), { code: 'LOOM_ERR_ARTIFACT_MODEL_FILE_MISSING' });

  const newer = fresh();
  await saveModelArtifact(newer, artifact());
  const text = readFileSync(join(newer, 'manifest.json'), 'utf8').replace(`"formatVersion": ${MODEL_FORMAT_VERSION}`, `"formatVersion": ${MODEL_FORMAT_VERSION + 1}`);
  writeFileSync(join(newer, 'manifest.json'), text);
  await assert.rejects(loadModelArtifact(newer), { code: 'LOOM_ERR_ARTIFACT_MODEL_FORMAT_UNSUPPORTED', statusCode: 400 });
});

test('a manifest that is not JSON, or names a file outside the directory, is invalid', async () => {
  const garbage = fresh();
  await saveModelArtifact(garbage, artifact());
  writeFileSync(join(garbage, 'manifest.json'), '{ not json');
  await assert.rejects(loadModelArtifact(garbage), { code: 'LOOM_ERR_ARTIFACT_MODEL_INVALID' });

  const escape = fresh();
  await saveModelArtifact(escape, artifact());
  const path = join(escape, 'manifest.json');
  writeFileSync(path, readFileSync(path, 'utf8').replace('"name": "model.json"', '"name": "../../etc/passwd"'));
  await assert.rejects(loadModelArtifact(escape), (err: { code?: string; details?: { field?: string } }) => err.code === 'LOOM_ERR_ARTIFACT_MODEL_INVALID' && /^files\.\d+\.name$/.test(err.details?.field ?? ''));

  const bad = artifact();
  await assert.rejects(saveModelArtifact(fresh(), { ...bad, files: new Map([['../x', new Uint8Array(1)]]) }), { code: 'LOOM_ERR_ARTIFACT_MODEL_INVALID' });
});

test('currentGitSha reads HEAD of the enclosing repository and is null outside one', () => {
  const repo = fresh();
  execFileSync('git', ['init', '-q', repo]);
  execFileSync('git', ['-C', repo, '-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'x']);
  const expected = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  assert.equal(currentGitSha(join(repo)), expected);
  execFileSync('git', ['-C', repo, 'pack-refs', '--all']);
  assert.equal(currentGitSha(repo), expected, 'packed refs');
  assert.equal(currentGitSha(tmpdir()), null);
});
