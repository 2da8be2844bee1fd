import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import type { RunRecord } from '../../tracking/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

/** Experiment tracking, loaded when a runs command runs rather than for every `loom` start (see cli/main.ts). */
const tracking = () => import('../../tracking/index.js');

/** Metric columns `loom runs list` shows at most. */
const METRIC_COLUMNS = 4;

/** Registers `loom runs list | show | compare`. */
export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('search, inspect and compare tracked runs');

  runs
    .command('list')
    .description('list runs, newest first, optionally filtered (`metrics.auc > 0.9 and params.num_leaves = 31`) and sorted')
    .option('--experiment <name>', 'only runs of this experiment; repeat for more', collect, [])
    .option('--filter <query>', 'filter: metrics.<k>, params.<k>, tags.<k>, datasets.name, status, name, start_time with = != < <= > >=, in, like, is null, and/or/not')
    .option('--order-by <field>', 'sort key such as "metrics.auc desc"; repeat for more', collect, [])
    .option('--limit <n>', 'runs per page (1–5000)', '50')
    .option('--page-token <token>', 'the token printed by the previous page')
    .action(async (opts: { experiment: string[]; filter?: string; orderBy: string[]; limit: string; pageToken?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { searchRuns } = await tracking();
        const page = await searchRuns(ws, opts.filter ?? '', {
          experiments: opts.experiment,
          orderBy: opts.orderBy,
          limit: integer(opts.limit, 'limit'),
          ...(opts.pageToken === undefined ? {} : { pageToken: opts.pageToken }),
        });
        emit(global, { runs: page.runs, next_page_token: page.nextPageToken }, () => listText(page.runs, `${opts.filter ?? ''} ${opts.orderBy.join(' ')}`, page.nextPageToken));
      });
    });

  runs
    .command('show <run>')
    .description('show a run (id, id prefix or name): status, params, latest metrics, tags, lineage, system, artifacts')
    .option('--metric <key>', 'also print the full series of this metric')
    .action(async (ref: string, opts: { metric?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { getMetricHistory, getRun, listRunArtifacts } = await tracking();
        const run = await getRun(ws, ref);
        const artifacts = await listRunArtifacts(ws, run.id);
        const series = opts.metric === undefined ? undefined : await getMetricHistory(ws, run.id, opts.metric);
        emit(global, { ...run, artifacts, ...(series === undefined ? {} : { series: { key: opts.metric, points: series } }) }, () => {
          const lines = [
            `run ${run.id}  ${run.name}  (experiment ${run.experiment})`,
            `status ${run.status}${run.statusMessage ? ` — ${run.statusMessage}` : ''}`,
            `started ${iso(run.startTime)}${run.endTime === null ? ', still running' : `, ended ${iso(run.endTime)} (${duration(run)})`}`,
            `code ${run.git.sha ?? 'unknown'}${run.git.dirty ? ' (dirty work tree)' : ''}  seed ${run.seed ?? '-'}`,
            `system node ${run.system.node} ${run.system.platform}/${run.system.arch}, ${run.system.cpus} × ${run.system.cpuModel}, ${(run.system.memoryBytes / 2 ** 30).toFixed(1)} GiB, host ${run.system.hostname} pid ${run.system.pid}`,
          ];
          if (run.datasets.length > 0) lines.push('', 'datasets', table(['role', 'dataset', 'version'], run.datasets.map((d) => [d.role, d.dataset, d.version.slice(0, 12)])));
          if (Object.keys(run.params).length > 0) lines.push('', 'params', table(['key', 'value'], Object.entries(run.params)));
          if (Object.keys(run.metrics).length > 0) {
            lines.push('', 'metrics (latest)', table(['key', 'value', 'step', 'min', 'max', 'points'], Object.entries(run.metrics).map(([k, m]) => [k, fmt(m.value), m.step, fmt(m.min), fmt(m.max), m.count])));
          }
          if (Object.keys(run.tags).length > 0) lines.push('', 'tags', table(['key', 'value'], Object.entries(run.tags)));
          if (artifacts.length > 0) lines.push('', 'artifacts', table(['path', 'bytes', 'sha256'], artifacts.map((a) => [a.path, a.bytes, a.hash.slice(0, 12)])));
          if (series !== undefined) lines.push('', `${opts.metric} series`, table(['step', 'value', 'time'], series.map((p) => [p.step, fmt(p.value), iso(p.timestamp)])));
          return lines.join('\n');
        });
      });
    });

  runs
    .command('compare <runs...>')
    .description('show two or more runs side by side; rows that differ are marked *')
    .option('--diff-only', 'show only the rows whose values differ')
    .action(async (refs: string[], opts: { diffOnly?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { compareRuns } = await tracking();
        const comparison = await compareRuns(ws, refs);
        const rows = opts.diffOnly ? comparison.rows.filter((r) => r.differs) : comparison.rows;
        emit(global, { runs: comparison.runs.map((r) => ({ id: r.id, name: r.name, experiment: r.experiment, status: r.status })), rows }, () =>
          table(
            ['', 'field', ...comparison.runs.map((r) => `${r.name} (${r.id.slice(0, 8)})`)],
            rows.map((r) => [r.differs ? '*' : '', `${r.section}.${r.key}`, ...r.values.map((v) => (typeof v === 'number' ? fmt(v) : v))]),
          ),
        );
      });
    });
}

function listText(runs: readonly RunRecord[], mentioned: string, next: string | null): string {
  if (runs.length === 0) return 'no runs match; `loom train --experiment <name>` or startRun() records one';
  const all = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const named = all.filter((k) => mentioned.includes(`metrics.${k}`) || mentioned.includes(`metric.${k}`));
  const metrics = [...named, ...all.filter((k) => !named.includes(k)).sort()].slice(0, METRIC_COLUMNS);
  const text = table(
    ['id', 'name', 'experiment', 'status', 'started', 'duration', ...metrics],
    runs.map((r) => [r.id.slice(0, 12), r.name, r.experiment, r.status, iso(r.startTime).slice(0, 19), duration(r), ...metrics.map((k) => (r.metrics[k] ? fmt(r.metrics[k].value) : ''))]),
  );
  return next === null ? text : `${text}\nmore runs: add --page-token ${next}`;
}

function duration(run: RunRecord): string {
  if (run.endTime === null) return 'running';
  const s = (run.endTime - run.startTime) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toPrecision(6).replace(/0+$/, '').replace(/\.$/, '') : String(v);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(text: string, field: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new LoomError('TRACKING_INVALID_VALUE', { field, problem: `"${text}" is not an integer` }, { details: { field } });
  return value;
}
