import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationReport, MetricEstimate } from '../../src/evaluation/evaluation-report.js';
import { saveModelArtifact } from '../../src/models/artifact/index.js';
import { ModelRegistry, type Principal } from '../../src/registry/index.js';
import { FsArtifactStore } from '../../src/storage/artifacts/index.js';
import { openMetadataStore, type MetadataStore } from '../../src/storage/metadata/index.js';
import { metadataTestBackends, type MetadataBackend } from './metadata-backends.js';

// Shared by the registry conformance suites (test/conformance/registry-*.conformance.test.ts): a fresh registry
// world per test on every metadata backend, tiny models, evaluation reports, and a promotion in a child process.

export const ADMIN: Principal = { name: 'alice', role: 'admin' };
export const NOW = 1_764_115_200_000;
const REGISTRY_MODULE = new URL('../../src/registry/index.ts', import.meta.url).href;
const STORE_MODULE = new URL('../../src/storage/metadata/index.ts', import.meta.url).href;
const ARTIFACTS_MODULE = new URL('../../src/storage/artifacts/index.ts', import.meta.url).href;

/** A fresh registry world: one metadata database, one artifact store, one cache folder. */
export interface World {
  readonly uri: string;
  readonly dir: string;
  readonly store: MetadataStore;
  readonly registry: ModelRegistry;
  /** A second registry over a second connection to the same database. */
  open(principal?: Principal): Promise<{ registry: ModelRegistry; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function world(root: string, backend: MetadataBackend): Promise<World> {
  const uri = backend.freshUri();
  const dir = mkdtempSync(join(root, 'w-'));
  const store = await openMetadataStore(uri);
  const artifacts = await FsArtifactStore.open(join(dir, 'artifacts'));
  let tick = 0;
  const options = { artifacts, cacheDir: join(dir, 'cache'), now: () => NOW + tick++ };
  const extra: MetadataStore[] = [];
  return {
    uri,
    dir,
    store,
    registry: new ModelRegistry({ db: store.db, principal: ADMIN, ...options }),
    async open(principal = ADMIN) {
      const other = await openMetadataStore(uri);
      extra.push(other);
      return { registry: new ModelRegistry({ db: other.db, principal, ...options }), close: () => other.close() };
    },
    async close() {
      await store.close();
      await Promise.all(extra.map((s) => s.close().catch(() => undefined)));
    },
  };
}

/** Saves a tiny model directory; `seed` makes its bytes (and so its hash) distinct. */
export async function tinyModel(parent: string, seed: number): Promise<{ dir: string; id: string }> {
  const dir = join(parent, `model-${seed}-${randomBytes(3).toString('hex')}`);
  const weights = new Float64Array([seed, -1.25]);
  const { id } = await saveModelArtifact(dir, {
    manifest: {
      flavor: 'linear',
      inputSignature: { columns: [{ name: 'x', type: 'float', nullable: false, tags: [] }] },
      outputSignature: { task: 'binary', outputs: [{ name: 'p', type: 'float' }], classes: ['no', 'yes'] },
      preprocessing: null,
      params: { l2: 0 },
      metrics: {},
      referenceProfile: null,
      lineage: { datasets: [{ role: 'train', name: 'churn', version: 'abc123def456' }], gitSha: null, seed, createdAt: '2026-11-26T00:00:00.000Z', loomVersion: '0.1.0' },
    },
    files: new Map([['weights.f64', new Uint8Array(weights.buffer)]]),
  });
  return { dir, id };
}

export function est(value: number, half = 0.01): MetricEstimate {
  return { value, ci: [value - half, value + half], level: 0.95 };
}

export function report(hash: string, auc: number, half = 0.01): EvaluationReport {
  return {
    format: 'loom.evaluation/1',
    task: 'binary',
    model: { hash },
    data: { ref: 'churn@abc123def456', rows: 2000 },
    metrics: { auc: est(auc, half) },
    slices: [],
    fairness: [],
    costs: null,
    created_at: '2026-11-26T10:00:00.000Z',
  };
}

export async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  let details: Record<string, unknown> = {};
  await assert.rejects(promise, (err: { code?: string; details?: Record<string, unknown> }) => {
    assert.equal(err.code, code);
    details = err.details ?? {};
    return true;
  });
  return details;
}

/** Registers `count` distinct tiny models under `name`; returns their model ids in version order. */
export async function registerMany(w: World, name: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const model = await tinyModel(w.dir, i);
    const { version, created } = await w.registry.register({ dir: model.dir, name });
    assert.equal(created, true);
    assert.equal(version.version, i);
    ids.push(model.id);
  }
  return ids;
}

/**
 * Runs planPromotion in a child process, reports "ready", waits for "go" on stdin, then commits and prints the
 * outcome as JSON. Two of these planned against the same champion race on the commit.
 */
export function promoteInChild(uri: string, dir: string, from: string): { ready: Promise<void>; go(): void; done: Promise<{ ok: boolean; code?: string; toVersion?: number }> } {
  const script = `const { ModelRegistry } = await import(${JSON.stringify(REGISTRY_MODULE)});
const { openMetadataStore } = await import(${JSON.stringify(STORE_MODULE)});
const { FsArtifactStore } = await import(${JSON.stringify(ARTIFACTS_MODULE)});
const store = await openMetadataStore(${JSON.stringify(uri)});
const artifacts = await FsArtifactStore.open(${JSON.stringify(join(dir, 'artifacts'))});
const registry = new ModelRegistry({ db: store.db, artifacts, cacheDir: ${JSON.stringify(join(dir, 'cache'))}, principal: { name: 'proc-${from}', role: 'admin' } });
const plan = await registry.planPromotion({ name: 'churn', from: ${JSON.stringify(from)}, to: 'champion' });
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
try {
  const result = await registry.commitPromotion(plan);
  process.stdout.write(JSON.stringify({ ok: true, toVersion: result.toVersion }) + '\\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, code: err.code }) + '\\n');
}
await store.close();
process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) readyResolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ ok: boolean; code?: string; toVersion?: number }>((resolve, reject) => {
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) reject(new Error(`child for ${from} exited ${code}: ${err}`));
      else resolve(JSON.parse(line));
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.end('go\n'), done };
}

/**
 * The metadata backends to run a registry suite on (see metadataTestBackends; call it at the top of a test file, its
 * temporary folder and schemas are removed when the file ends), and `world(backend)` for a fresh world on one.
 */
export function registryTestBackends(prefix: string): { readonly backends: readonly MetadataBackend[]; world(backend: MetadataBackend): Promise<World> } {
  const { root, backends } = metadataTestBackends(prefix);
  return { backends, world: (backend) => world(root, backend) };
}
