import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

// Drives `loom demo` as a child process on a small world in fresh LOOM_HOMEs, the way a user runs it.

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'loom-e2e-demo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const homeA = join(scratch, 'a');
const homeB = join(scratch, 'b');
const CUSTOMERS = 400;
const NAMES = ['churn-customers', 'churn-events', 'churn-labels', 'churn-customers-reference', 'churn-customers-current'];

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json(): any;
}

function loom(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args],
      // LOOM_PII_KEY is blanked so the demo key is used, as in a fresh shell.
      { cwd: ROOT, env: { ...process.env, LOOM_HOME: homeA, LOOM_PII_KEY: '', LOOM_DEBUG: '', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

function worldHashes(home: string): Record<string, string> {
  const dir = join(home, 'demo', 'world');
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

let first: any;

test('demo --json ends by itself with exit 0 and one JSON summary; nothing but JSON on stdout, no bars on stderr', async () => {
  const run = await loom(['demo', '--seed', '7', '--customers', String(CUSTOMERS), '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  first = run.json();
  assert.equal(first.seed, 7);
  assert.equal(first.customers, CUSTOMERS);
  assert.equal(first.home, homeA);
  assert.equal(first.piiKey, 'demo');
  assert.deepEqual(first.datasets.map((d: any) => d.name), NAMES);
  for (const d of first.datasets) {
    assert.match(d.version, /^[0-9a-f]{64}$/);
    assert.equal(d.created, true);
  }
  const rows = Object.fromEntries(first.datasets.map((d: any) => [d.role, d.rows]));
  assert.equal(rows.customers, CUSTOMERS);
  assert.equal(rows.labels, CUSTOMERS);
  assert.equal(rows.reference + rows.current, CUSTOMERS);
  assert.equal(rows.events, first.world.files.find((f: any) => f.file === 'events.parquet').rows);
  assert.deepEqual(first.world.files.map((f: any) => f.file), ['customers.csv', 'events.parquet', 'labels.jsonl', 'ground-truth.csv']);
  assert.ok(existsSync(join(homeA, 'demo', 'world', 'world.json')));
  assert.deepEqual(first.steps.map((s: any) => s.name), ['generate', 'ingest', 'split', 'profile', 'validate']);

  const v = first.validation;
  assert.equal(v.suite, 'churn-customers');
  assert.deepEqual(v.runs.map((r: any) => [r.role, r.success]), [['reference', true], ['current', false]]);
  assert.equal(v.runs[0].passed, v.expectations);
  assert.ok(v.runs[1].failed >= 1 && v.runs[1].failed === v.runs[1].failures.length);
  assert.ok(v.runs[1].failures.some((f: any) => f.kind === 'in_set' && f.column === 'region'), 'the new region is caught');
  assert.equal(v.driftDetected, true);
  assert.ok(first.highlights.some((h: any) => h.column === 'email' && /pii/.test(h.text)));
  assert.ok(first.next.includes(`LOOM_HOME=${homeA} loom data list`));
});

test('a second run with the same seed finds identical dataset versions (created: false)', async () => {
  const run = await loom(['demo', '--seed', '7', '--customers', String(CUSTOMERS), '--json']);
  assert.equal(run.code, 0, run.stderr);
  const again = run.json();
  assert.deepEqual(again.datasets.map((d: any) => [d.name, d.version]), first.datasets.map((d: any) => [d.name, d.version]));
  assert.ok(again.datasets.every((d: any) => d.created === false));
  assert.equal(again.validation.hash, first.validation.hash);
});

test('the human output in another home: the same world bytes and versions, and where to look next', async () => {
  const run = await loom(['demo', '--seed', '7', '--customers', String(CUSTOMERS), '--home', homeB], { LOOM_NO_PROGRESS: '1' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /LOOM_PII_KEY is not set/);
  assert.match(run.stdout, /drift detected/);
  assert.ok(run.stdout.includes(`LOOM_HOME=${homeB} loom validate run churn-customers churn-customers-current --failures-only`));
  assert.deepEqual(worldHashes(homeB), worldHashes(homeA));
  const list = await loom(['data', 'list', '--json'], { LOOM_HOME: homeB });
  assert.equal(list.code, 0, list.stderr);
  const latest = Object.fromEntries(list.json().map((d: any) => [d.name, d.latestVersion]));
  for (const d of first.datasets) assert.equal(latest[d.name], d.version, d.name);
});

test('bad options are coded errors naming the option (exit 2)', async () => {
  for (const [args, field] of [[['--customers', '5'], 'customers'], [['--seed', 'abc'], 'seed']] as const) {
    const run = await loom(['demo', ...args, '--home', join(scratch, 'bad'), '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.json().error.code, 'LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID');
    assert.equal(run.json().error.details.field, field);
  }
  assert.equal(existsSync(join(scratch, 'bad')), false, 'nothing written');
});
