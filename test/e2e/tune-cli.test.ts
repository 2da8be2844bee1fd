import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { assertCodedFailure, loomCli, ROOT } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom tune` end to end on a small seeded binary dataset: a study, a kill -9 mid-study and its resume, bad input.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-tune-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/** The same CLI in-process, for the fixture and the coded errors (each spawn costs ~1 s of tsx start-up). */
const loomHere = loomInProcess(home);
const space = { num_iterations: 15, min_data_in_leaf: 5, num_leaves: { kind: 'int', low: 2, high: 16 }, learning_rate: { kind: 'log_uniform', low: 0.02, high: 0.5 } };

before(async () => {
  const lines = ['a,b,c,y'];
  let s = 7;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 400; i++) {
    const a = rnd();
    const b = rnd();
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${rnd() < 0.5 ? 'u' : 'v'},${a + 0.5 * b + 0.3 * rnd() > 0.9 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(home, 'toy.csv'), lines.join('\n'));
  writeFileSync(join(home, 'space.json'), JSON.stringify(space));
  const run = await loomHere(['data', 'ingest', join(home, 'toy.csv'), '--name', 'toy', '--json']);
  assert.equal(run.code, 0, run.stderr);
});

/** The workspace's metadata store (LOOM_HOME/loom.db, the embedded default). */
function dbPath(): string {
  return join(home, 'loom.db');
}

test('tune: best params, study and run ids; trial runs point at the parent run', async () => {
  const run = await loom(['tune', '--data', 'toy', '--target', 'y', '--space', 'space.json', '--trials', '6', '--parallel', '2', '--cv', '2', '--study', 'first', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = run.json();
  assert.equal(out.study, 'first');
  assert.equal(out.direction, 'maximize');
  assert.equal(out.trials.length, 6);
  assert.ok(out.best_value > 0.8 && out.best_value <= 1, `best AUC ${out.best_value}`);
  assert.equal(out.best_params.num_iterations, 15);
  assert.ok(Number.isInteger(out.best_params.num_leaves));
  const db = new Database(dbPath(), { readonly: true });
  const parents = db.prepare("select count(*) n from run_tags where key = 'loom.parent_run_id' and value = ?").get(out.parent_run_id) as { n: number };
  db.close();
  assert.equal(parents.n, 6);
});

test('resume after kill -9: finished trials are not repeated and the total is right', async () => {
  const args = ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'src/cli/main.ts'), 'tune', '--data', 'toy', '--target', 'y', '--space', 'space.json', '--trials', '10', '--cv', '3', '--study', 'killed', '--pruner', 'none', '--json'];
  const child = spawn(process.execPath, args, { cwd: home, env: { ...process.env, LOOM_HOME: home, LOOM_NO_PROGRESS: '1' }, stdio: 'ignore' });
  let finishedBefore: { number: number; params_json: string; value: number }[] = [];
  for (let i = 0; i < 600 && finishedBefore.length < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(dbPath())) continue;
    const db = new Database(dbPath(), { readonly: true, timeout: 1000 });
    try {
      finishedBefore = db.prepare("select number, params_json, value from tuning_trials where study = 'killed' and state = 'complete' order by number").all() as typeof finishedBefore;
    } catch {
      // the study table may not exist yet
    }
    db.close();
  }
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  assert.ok(finishedBefore.length >= 3 && finishedBefore.length < 10, `${finishedBefore.length} trials finished before the kill`);

  const resumed = await loom(['tune', '--data', 'toy', '--target', 'y', '--space', 'space.json', '--trials', '10', '--cv', '3', '--study', 'killed', '--pruner', 'none', '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const out = resumed.json();
  assert.equal(out.resumed, true);
  const finished = out.trials.filter((t: { state: string }) => t.state === 'complete');
  assert.equal(finished.length, 10);
  // The trials finished before the kill are kept as they were, and none ran again.
  for (const before of finishedBefore) {
    const kept = out.trials.find((t: { number: number }) => t.number === before.number);
    assert.equal(kept.value, before.value);
    assert.deepEqual(kept.params, JSON.parse(before.params_json));
  }
  assert.equal(out.ran_this_session, 10 - (out.trials.filter((t: { state: string; number: number }) => t.state === 'complete' && finishedBefore.some((b) => b.number === t.number)).length));
  const keys = finished.map((t: { params: unknown }) => JSON.stringify(t.params));
  assert.equal(new Set(keys).size, keys.length, 'no params repeated');
});

test('resuming with a different space is a coded error; so is a metric unfit for the target', async () => {
  writeFileSync(join(home, 'other.json'), JSON.stringify({ ...space, num_iterations: 20 }));
  assertCodedFailure(await loomHere(['tune', '--data', 'toy', '--target', 'y', '--space', 'other.json', '--trials', '2', '--cv', '2', '--study', 'first', '--json']), 'LOOM_ERR_TUNING_SPACE_MISMATCH');
  assertCodedFailure(await loomHere(['tune', '--data', 'toy', '--target', 'y', '--space', 'space.json', '--trials', '2', '--metric', 'rmse', '--json']), 'LOOM_ERR_TUNING_INVALID_OPTION');
});

test('--timeout interrupts a running trial mid-way: recorded interrupted with reason timeout, its run killed', async () => {
  // A million boosting rounds never finish here, so only the timeout can end this trial.
  writeFileSync(join(home, 'endless.json'), JSON.stringify({ ...space, num_iterations: 1_000_000 }));
  const run = await loom(['tune', '--data', 'toy', '--target', 'y', '--space', 'endless.json', '--trials', '2', '--cv', '2', '--timeout', '3', '--study', 'endless', '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const out = run.json();
  assert.equal(out.timed_out, true, run.stdout);
  assert.equal(out.best_value, null);
  assert.deepEqual(out.trials.map((t: { number: number; state: string }) => [t.number, t.state]), [[0, 'interrupted']]);
  assert.match(out.trials[0].message, /^timeout: /);
  const db = new Database(dbPath(), { readonly: true });
  const status = db.prepare('select status from runs where id = ?').get(out.trials[0].run_id) as { status: string };
  const trial = db.prepare("select state from tuning_trials where study = 'endless' and number = 0").get() as { state: string };
  db.close();
  assert.equal(status.status, 'killed');
  assert.equal(trial.state, 'interrupted');
});
