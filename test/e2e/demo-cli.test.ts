import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { loomInProcess } from '../support/loom-in-process.js';

// Drives `loom demo` as a child process on a small world in fresh LOOM_HOMEs, the way a user runs it.

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'loom-e2e-demo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const homeA = join(scratch, 'a');
const homeB = join(scratch, 'b');
// Large enough that every age band of the current period holds dozens of churners, so the fairness figures mean something.
const CUSTOMERS = 2000;
const NAMES = ['churn-customers', 'churn-events', 'churn-labels', 'churn-customers-reference', 'churn-customers-current', 'churn-sessions', 'churn-tickets', 'churn-invoices', 'churn-training-reference', 'churn-training-current'];
const STEPS = ['generate', 'ingest', 'split', 'profile', 'validate', 'features', 'train', 'register', 'materialize', 'evaluate', 'promote', 'canary'];

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
      ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), ...args],
      // LOOM_PII_KEY is blanked so the demo key is used, as in a fresh shell.
      { cwd: ROOT, env: { ...process.env, LOOM_HOME: homeA, LOOM_PII_KEY: '', LOOM_DEBUG: '', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

/**
 * The CLI in-process in homeA, for the read-only registry, tracking and online-store checks and a repeated bad option
 * (each spawn costs ~1 s of tsx start-up).
 */
const loomHere = loomInProcess(homeA, ROOT);

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
  const tables = first.training.tables;
  assert.equal(rows['training-reference'] + rows['training-current'] + tables[0].labelsPending + tables[1].labelsPending + tables[0].ageUnknown + tables[1].ageUnknown, CUSTOMERS);
  assert.equal(tables[0].labelsPending + tables[1].labelsPending, first.world.labelsPendingAtEnd);
  assert.equal(rows.events, first.world.files.find((f: any) => f.file === 'events.parquet').rows);
  // The per-type event datasets the feature views aggregate split the event log (payments and cancellations are not features).
  const types = Object.fromEntries(first.highlights.find((h: any) => h.column === 'event_type').text.split(', ').map((p: string) => p.split(' ')));
  assert.deepEqual([rows.sessions, rows.tickets, rows.invoices], [Number(types.session), Number(types.support_ticket), Number(types.invoice)]);
  const fs = first.featureStore;
  assert.equal(first.training.builder, 'feature store');
  assert.deepEqual(fs.views.map((v: any) => v.view), ['usage', 'tickets', 'billing']);
  assert.equal(fs.refs.length, 11);
  assert.equal(fs.applied, true);
  assert.equal(fs.materialization.end, '2025-01-01T00:00:00.000Z');
  for (const v of fs.materialization.views) assert.ok(v.entities > 0 && v.written === v.entities, `${v.view}: the first run writes every customer's state`);
  assert.deepEqual(first.world.files.map((f: any) => f.file), ['customers.csv', 'events.parquet', 'labels.jsonl', 'ground-truth.csv']);
  assert.ok(existsSync(join(homeA, 'demo', 'world', 'world.json')));
  assert.deepEqual(first.steps.map((s: any) => s.name), STEPS);

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

test('demo --json: both models trained, tracked, registered, evaluated on the current period, and the gate decides the champion', async () => {
  const [baseline, gbdt] = first.models;
  assert.deepEqual(first.models.map((m: any) => [m.role, m.flavor, m.registry.name, m.registry.alias]), [
    ['baseline', 'baseline', 'churn', 'champion'],
    ['gbdt', 'gbdt', 'churn', 'challenger'],
  ]);
  // The GBDT is trained with the best params of a 10-trial TPE study, tracked as a parent run with one child run per trial.
  const tuning = first.tuning;
  const reference = first.datasets.find((d: any) => d.role === 'training-reference');
  assert.equal(tuning.study, `churn-gbdt-${reference.version.slice(0, 12)}`);
  assert.equal(tuning.data, `churn-training-reference@${reference.version}`);
  assert.deepEqual([tuning.trials, tuning.ranThisSession, tuning.resumed], [10, 10, false]);
  assert.equal(Object.values(tuning.states).reduce((a: number, b: any) => a + b, 0), 10);
  assert.deepEqual(Object.keys(tuning.states).filter((k) => k !== 'complete' && k !== 'pruned'), []);
  assert.deepEqual(gbdt.params, tuning.bestParams);
  assert.equal(gbdt.params.num_iterations, 150);
  assert.ok(tuning.bestValue > 0.6 && tuning.bestValue < 1, `best validation AUC ${tuning.bestValue}`);
  assert.deepEqual([baseline.registry.version, gbdt.registry.version], [1, 2]);
  const current = first.datasets.find((d: any) => d.role === 'training-current');
  for (const m of first.models) {
    const e = m.evaluation;
    assert.equal(e.data, `churn-training-current@${current.version}`);
    assert.equal(e.rows, current.rows);
    assert.ok(e.auc.ci[0] <= e.auc.value && e.auc.value <= e.auc.ci[1], `${m.role} auc inside its CI`);
    assert.ok(existsSync(e.card), e.card);
    assert.match(readFileSync(e.card, 'utf8'), /age_band/);
    assert.deepEqual(e.fairness.groups.map((g: any) => g.group).sort(), ['35-49', '50-64', '65+', 'under 35']);
  }
  // The class-prior baseline scores everyone alike: AUC exactly 0.5, and below the 0.2 threshold nobody gets an offer.
  assert.equal(baseline.evaluation.auc.value, 0.5);
  assert.equal(baseline.evaluation.cost.flagged, 0);
  const churnRate = first.training.tables[1].churnRate;
  assert.ok(Math.abs(baseline.evaluation.cost.atThreshold - 10 * churnRate) < 1e-9, 'no offers: every churner costs fn = 10');
  assert.ok(gbdt.evaluation.auc.value > baseline.evaluation.auc.value + 0.1, `gbdt auc ${gbdt.evaluation.auc.value}`);
  assert.ok(gbdt.evaluation.auc.ci[0] > 0.5, 'the GBDT is better than chance on the drifted period');
  assert.deepEqual(first.evaluationSetup.costMatrix, { tn: 0, fp: 1, fn: 10, tp: 6 });
  assert.equal(first.evaluationSetup.threshold, 0.2);

  // The gate verdict is the conjunction of its rules, and the champion follows it.
  const p = first.promotion;
  assert.equal(p.rules.length, 4);
  assert.equal(p.passed, p.rules.every((r: any) => r.status !== 'failed'));
  assert.equal(p.championRole, p.passed ? 'gbdt' : 'baseline');
  const costRule = p.rules.find((r: any) => r.rule.startsWith('cost.default'));
  assert.equal(costRule.status, gbdt.evaluation.cost.atThreshold <= baseline.evaluation.cost.atThreshold ? 'passed' : 'failed');
  assert.equal(p.passed, true, JSON.stringify(p.rules));
  assert.equal(p.championVersion, gbdt.registry.version);
  assert.equal(p.fromVersion, baseline.registry.version);

  // The registry and tracking agree with the summary.
  const show = await loomHere(['models', 'show', 'churn', '--json']);
  assert.equal(show.code, 0, show.stderr);
  assert.deepEqual(show.json().aliases, { champion: gbdt.registry.version, challenger: gbdt.registry.version });
  const runs = await loomHere(['runs', 'list', '--experiment', 'churn', '--json']);
  assert.equal(runs.code, 0, runs.stderr);
  const ids = runs.json().runs.map((r: any) => r.id);
  for (const m of first.models) assert.ok(ids.includes(m.runId), `run ${m.runId} of the ${m.role} is listed`);
  assert.ok(ids.includes(first.tuning.parentRunId), 'the study parent run is listed');
  const children = await loomHere(['runs', 'list', '--experiment', 'churn', '--filter', `tags.loom.parent_run_id = '${first.tuning.parentRunId}'`, '--json']);
  assert.equal(children.code, 0, children.stderr);
  assert.equal(children.json().runs.length, 10, 'one child run per trial');
  // The command the demo prints for the trials lists the same runs.
  const printed = first.next.find((c: string) => c.includes('tags.loom.study'));
  const filter = /--filter "([^"]+)"/.exec(printed)![1];
  const listed = await loomHere(['runs', 'list', '--experiment', 'churn', '--filter', filter, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json().runs.map((r: any) => r.id).sort(), children.json().runs.map((r: any) => r.id).sort());
  assert.ok(first.next.includes(`LOOM_HOME=${homeA} loom runs list --experiment churn`));
  assert.ok(first.next.includes(`LOOM_HOME=${homeA} loom models show churn`));

  // The models carry the refs of the training set they were trained on, and serving can read those features online.
  const version = await loomHere(['models', 'show', `churn@${gbdt.registry.version}`, '--json']);
  assert.equal(version.code, 0, version.stderr);
  assert.deepEqual(version.json().features.map((f: any) => f.ref), first.featureStore.refs);
  const online = await loomHere(['features', 'get', 'tickets', '--entity', 'customer_id=C000001', '--at', first.featureStore.materialization.end, '--json']);
  assert.equal(online.code, 0, online.stderr);
  assert.deepEqual(online.json().rows[0].statuses, { tickets_30d: 'PRESENT', tickets_90d: 'PRESENT' });
});

test('a second run with the same seed finds identical dataset versions (created: false)', async () => {
  const run = await loom(['demo', '--seed', '7', '--customers', String(CUSTOMERS), '--json']);
  assert.equal(run.code, 0, run.stderr);
  const again = run.json();
  assert.deepEqual(again.datasets.map((d: any) => [d.name, d.version]), first.datasets.map((d: any) => [d.name, d.version]));
  assert.ok(again.datasets.every((d: any) => d.created === false));
  assert.equal(again.validation.hash, first.validation.hash);
  assert.equal(again.featureStore.applied, false);
  assert.deepEqual(again.featureStore.views.map((v: any) => v.version), first.featureStore.views.map((v: any) => v.version));
  // Materializing again rewrites the same states (the compare-and-set accepts a state as new as the stored one).
  assert.deepEqual(again.featureStore.materialization.views, first.featureStore.materialization.views);
  // New model versions (a model's manifest records when it was trained); the story restarts from the baseline.
  assert.deepEqual(again.models.map((m: any) => m.registry.version), [3, 4]);
  // The same training table finds its study done: nothing runs again and the best params are the same.
  assert.deepEqual([again.tuning.study, again.tuning.resumed, again.tuning.ranThisSession], [first.tuning.study, true, 0]);
  assert.deepEqual(again.tuning.bestParams, first.tuning.bestParams);
  assert.equal(again.promotion.fromVersion, 3);
  assert.equal(again.promotion.championVersion, again.promotion.passed ? 4 : 3);
});

test('the human output in another home: the same world bytes and versions, and where to look next', async () => {
  const run = await loom(['demo', '--seed', '7', '--customers', String(CUSTOMERS), '--home', homeB], { LOOM_NO_PROGRESS: '1' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /LOOM_PII_KEY is not set/);
  assert.match(run.stdout, /drift detected/);
  assert.match(run.stdout, /^Feature store {2}3 views applied; the training sets record 11 refs/m);
  assert.match(run.stdout, /^ {2}materialized into \S+ up to 2025-01-01T00:00:00\.000Z: /m);
  assert.ok(run.stdout.includes(`LOOM_HOME=${homeB} loom validate run churn-customers churn-customers-current --failures-only`));
  assert.match(run.stdout, /^Evaluation on the current period \(churn-training-current@[0-9a-f]{12}\)/m);
  assert.match(run.stdout, /^ {2}gbdt +\d+ +0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/m);
  assert.match(run.stdout, /→ gate passed: champion is now churn@2 \(the gbdt\), was churn@1/);
  assert.ok(run.stdout.includes(`model card, gbdt (churn@2): ${join(homeB, 'evaluation', 'churn', 'v2')}`));
  assert.ok(run.stdout.includes(`LOOM_HOME=${homeB} loom models show churn`));
  assert.deepEqual(worldHashes(homeB), worldHashes(homeA));
  // A fresh study in another home, same seed: the same best trial and score.
  assert.ok(run.stdout.includes(`  best: trial ${first.tuning.bestTrial}, validation auc ${first.tuning.bestValue.toFixed(3)} with `), run.stdout);
  const list = await loom(['data', 'list', '--json'], { LOOM_HOME: homeB });
  assert.equal(list.code, 0, list.stderr);
  const latest = Object.fromEntries(list.json().map((d: any) => [d.name, d.latestVersion]));
  for (const d of first.datasets) assert.equal(latest[d.name], d.version, d.name);
});

test('bad options are coded errors naming the option (exit 2)', async () => {
  // The first as a real process, the second in-process (the same runCli, without ~1 s of tsx start-up).
  for (const [i, [args, field]] of ([[['--customers', '5'], 'customers'], [['--seed', 'abc'], 'seed']] as const).entries()) {
    const run = await (i === 0 ? loom : loomHere)(['demo', ...args, '--home', join(scratch, 'bad'), '--json'], { LOOM_PII_KEY: '' });
    assert.equal(run.code, 2);
    assert.equal(run.json().error.code, 'LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID');
    assert.equal(run.json().error.details.field, field);
  }
  assert.equal(existsSync(join(scratch, 'bad')), false, 'nothing written');
});
