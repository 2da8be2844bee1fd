import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

interface TuneOptions {
  data: string;
  target: string;
  model: string;
  objective?: string;
  space: string;
  trials: string;
  timeout?: string;
  parallel: string;
  cv: string;
  metric?: string;
  study?: string;
  seed: string;
  sampler: string;
  pruner: string;
}

/** Registers `loom tune`. */
export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('search hyperparameters with TPE, random or grid sampling, pruning, parallel trials and resumable studies')
    .requiredOption('--data <dataset>', 'dataset: name or name@version')
    .requiredOption('--target <column>', 'the column to predict')
    .option('--model <flavor>', 'model flavor (gbdt)', 'gbdt')
    .option('--objective <name>', 'GBDT objective, e.g. binary for a 0/1 numeric target (default: from the target)')
    .requiredOption('--space <file.json>', 'search space JSON (see docs/tuning.md)')
    .requiredOption('--trials <n>', 'trials the study should hold in total (a resume runs only the missing ones)')
    .option('--timeout <s>', 'after this many seconds stop: running trials are interrupted (a resume runs them again) and the best so far is printed')
    .option('--parallel <n>', 'trials run at once (each uses one worker thread per fold)', '1')
    .option('--cv <k>', 'cross-validation folds per trial', '3')
    .option('--metric <name>', 'LightGBM metric to optimize (default: auc, multi_logloss or rmse by task)')
    .option('--study <name>', 'study name, to resume it later (default: <dataset>-<target>-tune)')
    .option('--seed <n>', 'seed of the sampler, folds and learner', '42')
    .option('--sampler <name>', 'tpe | random | grid', 'tpe')
    .option('--pruner <name>', 'median | asha | none', 'median')
    .action(async (opts: TuneOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      if (opts.model !== 'gbdt') throw new LoomError('TUNING_INVALID_OPTION', { field: 'model', problem: `"${opts.model}" cannot be tuned yet; use gbdt` }, { details: { field: 'model' } });
      const space = readSpace(opts.space);
      const study = opts.study ?? `${opts.data.replace(/@.*/, '')}-${opts.target}-tune`;
      const bar = global.json || process.env.LOOM_NO_PROGRESS === '1' ? null : new cliProgress.SingleBar({ stream: process.stderr, format: `tune ${study} [{bar}] {value}/{total} trials | best {best}`, noTTYOutput: true, notTTYSchedule: 2000, hideCursor: true }, cliProgress.Presets.shades_classic);
      await withWorkspace(async (ws) => {
        const trials = integer(opts.trials, 'trials');
        bar?.start(trials, 0, { best: '-' });
        try {
          // Loaded here, not for every `loom` start (see cli/main.ts).
          const { tuneGbdt } = await import('../../training/tuning/index.js');
          const result = await tuneGbdt(ws, {
            study,
            data: opts.data,
            target: opts.target,
            objective: opts.objective,
            space,
            trials,
            timeoutSeconds: opts.timeout === undefined ? undefined : number(opts.timeout, 'timeout'),
            parallel: integer(opts.parallel, 'parallel'),
            cv: integer(opts.cv, 'cv'),
            metric: opts.metric,
            seed: integer(opts.seed, 'seed'),
            sampler: opts.sampler as 'tpe',
            pruner: opts.pruner as 'median',
            onTrial: (done, _total, best) => bar?.update(done, { best: best === null ? '-' : best.toFixed(6) }),
          });
          bar?.stop();
          const counts = result.trials.reduce<Record<string, number>>((acc, t) => ((acc[t.state] = (acc[t.state] ?? 0) + 1), acc), {});
          emit(
            global,
            { study: result.study, experiment: result.experiment, direction: result.direction, best_params: result.bestParams, best_value: result.bestValue, best_trial: result.bestTrial, parent_run_id: result.parentRunId, resumed: result.resumed, timed_out: result.timedOut, ran_this_session: result.ranThisSession, trial_states: counts, trials: result.trials.map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params, run_id: t.runId, message: t.message })) },
            () =>
              [
                `study ${result.study}${result.resumed ? ' (resumed)' : ''}: ${result.trials.length} trials (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}), ${result.ranThisSession} run now`,
                ...(result.timedOut ? [`timeout: ${opts.timeout} s passed; ${counts.interrupted ?? 0} running trial(s) interrupted. Run the same command again to resume (interrupted trials run again).`] : []),
                `best ${result.timedOut ? 'so far, ' : ''}${result.direction === 'maximize' ? 'max' : 'min'} score ${result.bestValue ?? '-'} (trial ${result.bestTrial ?? '-'})`,
                table(['param', 'value'], Object.entries(result.bestParams ?? {}).map(([k, v]) => [k, v])),
                `parent run ${result.parentRunId}`,
                `best trial's run ${result.trials.find((t) => t.number === result.bestTrial)?.runId ?? '-'} (all run ids: --json)`,
                `next: loom runs list --experiment ${result.experiment}`,
              ].join('\n'),
          );
        } finally {
          bar?.stop();
        }
      });
    });
}

function readSpace(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LoomError('TUNING_INVALID_OPTION', { field: 'space', problem: `cannot read ${path}` }, { details: { field: 'space' } });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LoomError('TUNING_INVALID_SPACE', { field: 'space', problem: `${path} is not JSON (${(err as Error).message})` }, { details: { field: 'space' } });
  }
}

function integer(text: string, field: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new LoomError('TUNING_INVALID_OPTION', { field, problem: `"${text}" is not a whole number` }, { details: { field } });
  return n;
}

function number(text: string, field: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new LoomError('TUNING_INVALID_OPTION', { field, problem: `"${text}" is not a number` }, { details: { field } });
  return n;
}
