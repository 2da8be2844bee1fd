import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Workspace } from '../../src/storage/workspace.js';
import {
  compareRuns,
  getMetricHistory,
  getRun,
  listExperiments,
  listRunArtifacts,
  reapStaleRuns,
  searchRuns,
  startRun,
} from '../../src/tracking/index.js';
import { metadataTestBackends, type MetadataBackend as Backend } from '../support/metadata-backends.js';

// The tracking store on every metadata backend: the same calls must give the same answers on SQLite and PostgreSQL.

const { root, backends: BACKENDS } = metadataTestBackends('loom-tracking-');

const GIT = { sha: 'a'.repeat(40), dirty: true };

function freshWorkspace(backend: Backend): Workspace {
  const home = join(root, randomBytes(6).toString('hex'));
  return Workspace.open({ overrides: { home, metadataUri: backend.freshUri(), artifactsUri: `file://${join(home, 'artifacts')}` }, env: {} });
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; details: any }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return { code: (err as { code: string }).code, details: (err as { details?: unknown }).details };
  }
  assert.fail('expected a coded error');
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

for (const backend of BACKENDS) {
  describe(`tracking store conformance: ${backend.name}`, async () => {
    const skip = await backend.skip();

    test('a run records params, tags, seed, git, system info and lineage, and ends finished', { skip }, async () => {
      const ws = freshWorkspace(backend);
      const run = await startRun(ws, {
        experiment: 'churn',
        params: { num_leaves: 31, learning_rate: 0.05, optimizer: 'adam', bagging: false, layers: [64, 32] },
        tags: { team: 'growth' },
        seed: 7,
        git: GIT,
        datasets: [{ role: 'train', dataset: 'adult-train', version: 'v1' }],
      });
      assert.equal(run.name, 'churn-1');
      assert.equal(run.status, 'running');
      const live = await getRun(ws, run.id);
      assert.equal(live.status, 'running');
      assert.equal(live.endTime, null);
      await run.end();
      const done = await getRun(ws, run.id);
      assert.equal(done.status, 'finished');
      assert.ok(done.endTime! >= done.startTime);
      assert.deepEqual(done.params, { bagging: 'false', layers: '[64,32]', learning_rate: '0.05', num_leaves: '31', optimizer: 'adam' });
      assert.deepEqual(done.tags, { team: 'growth' });
      assert.equal(done.seed, 7);
      assert.deepEqual(done.git, GIT);
      assert.deepEqual(done.datasets, [{ role: 'train', dataset: 'adult-train', version: 'v1' }]);
      assert.equal(done.system.pid, process.pid);
      assert.equal(done.system.node, process.version);
      assert.ok(done.system.cpus >= 1 && done.system.memoryBytes > 0);
      assert.match(run.id, /^[0-9a-f]{32}$/);
      const second = await startRun(ws, { experiment: 'churn', git: GIT });
      assert.equal(second.name, 'churn-2');
      assert.notEqual(second.id, run.id);
      await second.end('killed', 'stopped by hand');
      assert.equal((await getRun(ws, second.id)).status, 'killed');
      await ws.close();
    });

    test('metric series: batched points are exact; the latest point is the highest step, then the newest; min, max, count; NaN and ±Infinity kept', { skip }, async () => {
      const ws = freshWorkspace(backend);
      const run = await startRun(ws, { experiment: 'series', git: GIT, batchSize: 1000 });
      for (let i = 0; i < 2500; i++) run.logMetric('loss', 1 / (i + 1), i, 1_000_000 + i);
      run.logMetric('auc', 0.7, 5, 100);
      run.logMetric('auc', 0.9, 2, 200); // older step, newer time: not the latest
      run.logMetric('auc', 0.8, 5, 150); // same step, newer time: the latest
      run.logMetric('odd', NaN, 0, 1);
      run.logMetric('odd', Infinity, 1, 1);
      run.logMetric('odd', -Infinity, 2, 1);
      run.logMetric('auto', 1); // steps default to 0, 1, 2 for a key
      run.logMetric('auto', 2);
      run.logMetric('auto', 3);
      await run.flush();
      assert.equal(run.pending, 0);
      const loss = await getMetricHistory(ws, run.id, 'loss');
      assert.equal(loss.length, 2500);
      assert.deepEqual(loss[1234], { step: 1234, timestamp: 1_001_234, value: 1 / 1235 });
      const odd = await getMetricHistory(ws, run.id, 'odd');
      assert.deepEqual(odd.map((p) => p.value), [NaN, Infinity, -Infinity]);
      assert.deepEqual((await getMetricHistory(ws, run.id, 'auto')).map((p) => p.step), [0, 1, 2]);
      // A later batch folds into the latest values.
      run.logMetric('auc', 0.6, 5, 160);
      run.logMetric('auc', 0.95, 1, 999);
      await run.end();
      const { metrics } = await getRun(ws, run.id);
      assert.deepEqual(metrics.auc, { value: 0.6, step: 5, timestamp: 160, min: 0.6, max: 0.95, count: 5 });
      assert.deepEqual(metrics.loss, { value: 1 / 2500, step: 2499, timestamp: 1_002_499, min: 1 / 2500, max: 1, count: 2500 });
      assert.deepEqual(metrics.odd, { value: -Infinity, step: 2, timestamp: 1, min: -Infinity, max: Infinity, count: 3 });
      assert.equal((await codeOf(getMetricHistory(ws, run.id, 'nope'))).code, 'LOOM_ERR_TRACKING_METRIC_NOT_FOUND');
      await ws.close();
    });

    test('params are write-once; tags can change; logging to an ended run is refused', { skip }, async () => {
      const ws = freshWorkspace(backend);
      const run = await startRun(ws, { experiment: 'p', params: { num_leaves: 31 }, tags: { stage: 'dev' }, git: GIT });
      await run.logParam('num_leaves', 31); // the same value again is fine
      const conflict = await codeOf(run.logParam('num_leaves', 63));
      assert.equal(conflict.code, 'LOOM_ERR_TRACKING_PARAM_CONFLICT');
      assert.equal(conflict.details.field, 'params.num_leaves');
      await run.setTag('stage', 'prod');
      await run.end();
      const record = await getRun(ws, run.id);
      assert.deepEqual(record.params, { num_leaves: '31' });
      assert.deepEqual(record.tags, { stage: 'prod' });
      assert.equal((await codeOf(() => run.logMetric('x', 1))).code, 'LOOM_ERR_TRACKING_RUN_ENDED');
      assert.equal((await codeOf(run.logParam('y', 1))).code, 'LOOM_ERR_TRACKING_RUN_ENDED');
      await ws.close();
    });

    test('bad names and values get coded errors naming the field', { skip }, async () => {
      const ws = freshWorkspace(backend);
      assert.equal((await codeOf(startRun(ws, { experiment: 'has space', git: GIT }))).code, 'LOOM_ERR_TRACKING_INVALID_NAME');
      assert.equal((await codeOf(startRun(ws, { experiment: 'ok', seed: 1.5, git: GIT }))).code, 'LOOM_ERR_TRACKING_INVALID_VALUE');
      const run = await startRun(ws, { experiment: 'ok', git: GIT });
      assert.equal((await codeOf(() => run.logMetric('bad\nkey', 1))).code, 'LOOM_ERR_TRACKING_INVALID_NAME');
      const notNumber = await codeOf(() => run.logMetric('auc', '0.9' as unknown as number));
      assert.deepEqual([notNumber.code, notNumber.details.field], ['LOOM_ERR_TRACKING_INVALID_VALUE', 'metrics.auc']);
      assert.equal((await codeOf(() => run.logMetric('auc', 0.9, -1))).code, 'LOOM_ERR_TRACKING_INVALID_VALUE');
      assert.equal((await codeOf(() => run.logMetric('auc', 0.9, 1.5))).code, 'LOOM_ERR_TRACKING_INVALID_VALUE');
      assert.equal((await codeOf(run.logParam('blob', 'x'.repeat(9000)))).code, 'LOOM_ERR_TRACKING_INVALID_VALUE');
      await run.end();
      await ws.close();
    });

    describe('search', () => {
      let ws: Workspace;
      const ids = new Map<string, string>();
      before(async () => {
        if (skip) return;
        ws = freshWorkspace(backend);
        const make = async (experiment: string, name: string, params: Record<string, unknown>, metrics: Record<string, number>, tags: Record<string, string>, status: 'finished' | 'failed' = 'finished') => {
          const run = await startRun(ws, { experiment, name, params: params as Record<string, string>, tags, git: GIT, datasets: [{ role: 'train', dataset: experiment === 'churn' ? 'churn-train' : 'adult-train', version: `v-${name}` }] });
          run.logMetrics(metrics, 0);
          await run.end(status);
          ids.set(name, run.id);
        };
        await make('churn', 'a', { num_leaves: 31, optimizer: 'Adam', lr: 0.1 }, { auc: 0.91, loss: 0.30 }, { team: 'growth', priority: '2' });
        await make('churn', 'b', { num_leaves: 63, optimizer: 'sgd', lr: 0.05 }, { auc: 0.95, loss: 0.25 }, { team: 'growth' });
        await make('churn', 'c', { num_leaves: 31, optimizer: 'adam', lr: 'auto' }, { auc: 0.85 }, { team: 'risk', priority: '10' }, 'failed');
        await make('adult', 'd', { num_leaves: 127, optimizer: 'adam_w' }, { auc: 0.91, 'val loss': 0.4 }, { team: 'Growth' });
        await make('adult', 'e', { num_leaves: 15 }, { loss: 0.5 }, {});
      });
      after(async () => ws?.close());

      const CASES: ReadonlyArray<readonly [string, string]> = [
        ['', 'a b c d e'],
        ['metrics.auc > 0.9', 'a b d'],
        ['metrics.auc >= 0.91 and params.num_leaves = 31', 'a'],
        ['metrics.auc = 0.91', 'a d'],
        ['metrics.auc != 0.91', 'b c'],
        ['metrics.auc < 0.9 or metrics.loss >= 0.5', 'c e'],
        ['not metrics.auc > 0.9', 'c e'],
        ['metrics.auc is null', 'e'],
        ['metrics.loss is not null', 'a b e'],
        ['metrics.`val loss` < 1', 'd'],
        ['params.num_leaves > 31', 'b d'],
        ['params.num_leaves in (15, 127)', 'd e'],
        ['params.num_leaves not in (31)', 'b d e'],
        ["params.optimizer = 'adam'", 'c'],
        ["params.optimizer in ('adam', 'sgd')", 'b c'],
        ["params.optimizer like 'adam%'", 'c d'],
        ["params.optimizer ilike 'adam%'", 'a c d'],
        ["params.optimizer not like 'adam%'", 'a b e'],
        ["params.optimizer like 'ada_'", 'c'],
        ['params.lr < 0.1', 'b'],
        ["params.lr = 'auto'", 'c'],
        ['params.optimizer is null', 'e'],
        ["tags.team = 'growth'", 'a b'],
        ["tags.team ilike 'GROWTH'", 'a b d'],
        ['tags.priority > 5', 'c'],
        ["tags.priority > '5'", ''],
        ["status = 'failed'", 'c'],
        ["status != 'failed' and (params.num_leaves = 31 or params.num_leaves = 15)", 'a e'],
        ["experiment = 'adult'", 'd e'],
        ["attributes.name in ('a', 'e')", 'a e'],
        ["datasets.name = 'adult-train'", 'd e'],
        ["datasets.version like 'v-_'", 'a b c d e'],
        ["start_time > '2000-01-01T00:00:00Z' and end_time is not null", 'a b c d e'],
        ['start_time < 0', ''],
        ["NOT (tags.team = 'growth' OR tags.team = 'risk') AND metrics.auc > 0", 'd'],
      ];
      for (const [query, expected] of CASES) {
        test(`filter: ${query || '(empty)'}`, { skip }, async () => {
          const page = await searchRuns(ws, query, { orderBy: 'name asc' });
          assert.deepEqual(page.runs.map((r) => r.name).join(' '), expected);
        });
      }

      test('the same filters page by page (SQLite walks the sort order and probes each run) give the same runs as one page (driven from the filter)', { skip }, async () => {
        for (const [query, expected] of CASES) {
          const names: string[] = [];
          let token: string | undefined;
          do {
            const page = await searchRuns(ws, query, { orderBy: 'name asc', limit: 1, ...(token ? { pageToken: token } : {}) });
            names.push(...page.runs.map((r) => r.name));
            token = page.nextPageToken ?? undefined;
          } while (token !== undefined);
          assert.equal(names.join(' '), expected, query);
        }
      });

      test('experiments option restricts; an unknown experiment is a coded error suggesting a close name', { skip }, async () => {
        assert.deepEqual((await searchRuns(ws, 'metrics.auc > 0', { experiments: ['adult'], orderBy: 'name' })).runs.map((r) => r.name), ['d']);
        const err = await codeOf(searchRuns(ws, '', { experiments: ['chrun'] }));
        assert.equal(err.code, 'LOOM_ERR_TRACKING_EXPERIMENT_NOT_FOUND');
        assert.equal(err.details.suggestion, 'churn');
      });

      test('order: metrics descending with missing values last, numeric params, several keys, default newest first', { skip }, async () => {
        const names = async (orderBy: string | string[]) => (await searchRuns(ws, '', { orderBy })).runs.map((r) => r.name).join(' ');
        // Ties fall back to newest first: start time, then id, which begins with the creation time.
        const newestFirst = (...names: string[]) => names.sort((x, y) => (ids.get(y)! < ids.get(x)! ? -1 : 1)).join(' ');
        assert.equal(await names('metrics.auc desc'), `b ${newestFirst('a', 'd')} c e`);
        assert.equal(await names(['metrics.auc desc', 'name asc']), 'b a d c e');
        assert.equal(await names(['metrics.auc asc', 'name desc']), 'c d a b e');
        assert.equal(await names('params.num_leaves desc'), `d b ${newestFirst('a', 'c')} e`);
        assert.equal(await names(['params.lr asc', 'name asc']), 'b a c d e');
        assert.equal(await names(['tags.team asc', 'name asc']), 'd a b c e');
        assert.equal(await names('experiment asc'), `${newestFirst('d', 'e')} ${newestFirst('a', 'b', 'c')}`);
        assert.equal(await names([]), newestFirst('a', 'b', 'c', 'd', 'e'));
        const bad = await codeOf(searchRuns(ws, '', { orderBy: 'metrics.auc sideways' }));
        assert.equal(bad.code, 'LOOM_ERR_TRACKING_ORDER_INVALID');
        assert.equal((await codeOf(searchRuns(ws, '', { orderBy: 'colour' }))).code, 'LOOM_ERR_TRACKING_ORDER_INVALID');
      });

      test('pages cover every run exactly once; a token from another search is refused', { skip }, async () => {
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await searchRuns(ws, '', { orderBy: 'name', limit: 2, ...(token ? { pageToken: token } : {}) });
          seen.push(...page.runs.map((r) => r.name));
          token = page.nextPageToken ?? undefined;
          pages++;
        } while (token !== undefined);
        assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
        assert.equal(pages, 3);
        // Sorted by a key some runs lack: pages walk the runs that have it, then those that do not.
        const walk = async (orderBy: string[], limit: number) => {
          const out: string[] = [];
          let next: string | undefined;
          do {
            const page = await searchRuns(ws, '', { orderBy, limit, ...(next ? { pageToken: next } : {}) });
            out.push(page.runs.map((r) => r.name).join(''));
            next = page.nextPageToken ?? undefined;
          } while (next !== undefined);
          return out.join('|');
        };
        assert.equal(await walk(['metrics.auc desc', 'name asc'], 2), 'ba|dc|e');
        assert.equal(await walk(['metrics.auc asc', 'name asc'], 4), 'cadb|e');
        assert.equal(await walk(['metrics.loss desc', 'name desc'], 1), 'e|a|b|d|c');
        assert.equal(await walk(['params.optimizer asc', 'name asc'], 3), 'acd|be');
        const [newer, older] = ids.get('d')! > ids.get('e')! ? ['d', 'e'] : ['e', 'd'];
        assert.equal(await walk(['params.lr desc'], 2), `ab|c${newer}|${older}`);
        const first = await searchRuns(ws, '', { orderBy: 'name', limit: 2 });
        assert.equal((await codeOf(searchRuns(ws, 'metrics.auc > 0', { orderBy: 'name', limit: 2, pageToken: first.nextPageToken! }))).code, 'LOOM_ERR_TRACKING_PAGE_TOKEN_INVALID');
        assert.equal((await codeOf(searchRuns(ws, '', { pageToken: 'garbage!' }))).code, 'LOOM_ERR_TRACKING_PAGE_TOKEN_INVALID');
        assert.equal((await codeOf(searchRuns(ws, '', { limit: 0 }))).code, 'LOOM_ERR_TRACKING_INVALID_VALUE');
      });

      const BAD: ReadonlyArray<readonly [string, number]> = [
        ['metrics.auc >', 14],
        ['metrics.auc > 0.9 and', 22],
        ["metrics.auc > 'high'", 15],
        ['params.optimizer = adam', 20],
        ['colour = 1', 1],
        ['metrics.auc > 0.9)', 18],
        ['(metrics.auc > 0.9', 19],
        ["params.x = 'open", 12],
        ["status = 'sleeping'", 10],
        ["metrics.auc like '0.9%'", 1],
        ['params.a in (1, \'b\')', 14],
        ['metrics.auc ~ 1', 13],
        ["start_time > 'yesterday'", 14],
      ];
      for (const [query, position] of BAD) {
        test(`a bad filter is LOOM_ERR_TRACKING_QUERY_INVALID at position ${position}: ${query}`, { skip }, async () => {
          const err = await codeOf(searchRuns(ws, query));
          assert.equal(err.code, 'LOOM_ERR_TRACKING_QUERY_INVALID');
          assert.deepEqual(err.details, { field: 'filter', position });
        });
      }

      test('compare: side-by-side rows, with the differing ones marked', { skip }, async () => {
        const diff = await compareRuns(ws, ['a', ids.get('b')!.slice(0, 32)]);
        assert.deepEqual(diff.runs.map((r) => r.name), ['a', 'b']);
        const row = (key: string) => diff.rows.find((r) => `${r.section}.${r.key}` === key);
        assert.deepEqual(row('params.num_leaves'), { section: 'params', key: 'num_leaves', values: ['31', '63'], differs: true });
        assert.deepEqual(row('metrics.auc'), { section: 'metrics', key: 'auc', values: [0.91, 0.95], differs: true });
        assert.deepEqual(row('tags.team'), { section: 'tags', key: 'team', values: ['growth', 'growth'], differs: false });
        assert.deepEqual(row('tags.priority'), { section: 'tags', key: 'priority', values: ['2', null], differs: true });
        assert.deepEqual(row('lineage.train'), { section: 'lineage', key: 'train', values: ['churn-train@v-a', 'churn-train@v-b'], differs: true });
        assert.equal(row('run.experiment')!.differs, false);
        assert.equal((await codeOf(compareRuns(ws, ['a']))).code, 'LOOM_ERR_TRACKING_COMPARE_TOO_FEW');
      });

      test('run references: full id, prefix, name; unknown suggests a close name; ambiguous is refused', { skip }, async () => {
        assert.equal((await getRun(ws, ids.get('c')!)).name, 'c');
        assert.equal((await getRun(ws, ids.get('c')!.toUpperCase())).name, 'c');
        assert.equal((await getRun(ws, 'd')).id, ids.get('d'));
        const missing = await codeOf(getRun(ws, 'churn-9'));
        assert.equal(missing.code, 'LOOM_ERR_TRACKING_RUN_NOT_FOUND');
        const close = await codeOf(getRun(ws, 'aa'));
        assert.equal(close.details.suggestion, 'a');
        // Every id starts with its creation time, so a short common prefix matches all five runs.
        assert.equal((await codeOf(getRun(ws, ids.get('a')!.slice(0, 4)))).code, 'LOOM_ERR_TRACKING_RUN_AMBIGUOUS');
      });

      test('experiments list counts runs', { skip }, async () => {
        const list = await listExperiments(ws);
        assert.deepEqual(list.map((e) => [e.name, e.runs, e.running]), [['adult', 2, 0], ['churn', 3, 0]]);
      });
    });

    test('stale runs: a dead process on this host is failed at once; another host after the heartbeat timeout; a live run is revived', { skip }, async () => {
      const ws = freshWorkspace(backend);
      const { db } = await ws.metadata();
      const keep = await startRun(ws, { experiment: 'stale', git: GIT });
      keep.logMetric('acked', 1, 0);
      await keep.flush();
      const base = (await db.selectFrom('runs').selectAll().where('id', '=', keep.id).executeTakeFirstOrThrow()) as Record<string, unknown>;
      const clone = async (id: string, host: string, pid: number, heartbeat: number) => {
        await db.insertInto('runs').values({ ...(base as any), id, name: id, host, pid, heartbeat_at: heartbeat }).execute();
        await db.insertInto('run_latest_metrics').values({ run_id: id, key: 'acked', value: 1, step: 0, timestamp: 1, min_value: 1, max_value: 1, count: 1 }).execute();
      };
      const now = Date.now();
      await clone('dead-here', hostname(), deadPid(), now);
      await clone('quiet-there', 'another-host', 1, now - 60_000);
      await clone('fresh-there', 'another-host', 1, now - 1_000);
      const reaped = await reapStaleRuns(db, { now, staleAfterMs: 30_000 });
      assert.deepEqual(reaped.sort(), ['dead-here', 'quiet-there']);
      const dead = await getRun(ws, 'dead-here');
      assert.equal(dead.status, 'failed');
      assert.match(dead.statusMessage!, /^stale: process \d+ on .+ is gone/);
      assert.equal(dead.endTime, now);
      assert.deepEqual(dead.metrics.acked.value, 1);
      assert.equal((await getRun(ws, 'quiet-there')).endTime, now - 60_000);
      assert.equal((await getRun(ws, 'fresh-there')).status, 'running');
      assert.equal((await getRun(ws, keep.id)).status, 'running');
      // A run this process still owns but that another machine saw as stale comes back on its next flush.
      await db.updateTable('runs').set({ status: 'failed', status_message: 'stale: no heartbeat', end_time: now }).where('id', '=', keep.id).execute();
      await keep.flush();
      assert.equal((await getRun(ws, keep.id)).status, 'running');
      await keep.end();
      assert.equal((await getRun(ws, keep.id)).status, 'finished');
      await ws.close();
    });

    test('artifacts are stored by content hash and listed by path', { skip }, async () => {
      const ws = freshWorkspace(backend);
      const run = await startRun(ws, { experiment: 'art', git: GIT });
      const logged = await run.logArtifact('notes/readme.txt', 'hello');
      await run.logArtifact('model/weights.bin', new Uint8Array([1, 2, 3]));
      await run.logArtifact('notes/readme.txt', 'hello again');
      for (const bad of ['', '/etc/passwd', 'a/../b', 'a//b', 'a\\b']) assert.equal((await codeOf(run.logArtifact(bad, 'x'))).code, 'LOOM_ERR_TRACKING_INVALID_NAME', bad);
      await run.logArtifact('odd name (v2)+1.txt', 'ok');
      await run.end();
      const list = await listRunArtifacts(ws, run.id);
      assert.deepEqual(list.map((a) => [a.path, a.bytes]), [['model/weights.bin', 3], ['notes/readme.txt', 11], ['odd name (v2)+1.txt', 2]]);
      assert.equal(logged.hash, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
      assert.equal(new TextDecoder().decode(await (await ws.artifacts()).get(list[1].hash)), 'hello again');
      await ws.close();
    });
  });
}

test('ids are time-ordered and unique', async () => {
  const { newRunId } = await import('../../src/tracking/run-id.js');
  const a = newRunId(1_700_000_000_000);
  const b = newRunId(1_700_000_000_001);
  assert.ok(a < b);
  assert.equal(a.slice(0, 12), (1_700_000_000_000).toString(16).padStart(12, '0'));
  assert.equal(new Set(Array.from({ length: 1000 }, () => newRunId(5))).size, 1000);
});
