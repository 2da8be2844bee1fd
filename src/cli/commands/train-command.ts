import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import { FLAVOR_NAMES } from '../../training/flavors/flavor-names.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';

/** Registers `loom train` (`loom predict` is in predict-command.ts). */
export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train a model on a dataset version and save it as a model directory')
    .requiredOption('--data <dataset>', 'training dataset: name or name@version')
    .requiredOption('--target <column>', 'the column to predict')
    .option('--model <flavor>', `model flavor: ${FLAVOR_NAMES.join(' | ')}`, 'gbdt')
    .option('--objective <name>', 'objective, e.g. binary, multiclass, regression, huber (default: from the target)')
    .option('--param <key=value>', 'a learner parameter (LightGBM names for gbdt); repeat for more', collect, [])
    .option('--valid <dataset>', 'validation dataset for metrics (and early stopping)')
    .option('--seed <n>', 'random seed (default: the workspace seed)')
    .option('--threads <n>', 'worker threads', '1')
    .option('--out <dir>', 'model directory (default: <workspace>/models/<dataset>-<flavor>-<time>)')
    .option('--overwrite', 'replace a model already at --out')
    .option('--experiment <name>', 'record the training as a run in this experiment (see `loom runs`)')
    .option('--run-name <name>', 'name of that run (default <experiment>-<n>)')
    .action(async (opts: TrainOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        // Loaded here, not for every `loom` start (see cli/main.ts).
        const { trainModel } = await import('../../training/index.js');
        const result = await trainModel(
          ws,
          {
            data: opts.data,
            target: opts.target,
            model: opts.model,
            objective: opts.objective,
            params: parseParams(opts.param),
            valid: opts.valid,
            seed: opts.seed === undefined ? undefined : integer(opts.seed, 'seed'),
            threads: integer(opts.threads, 'threads'),
            out: opts.out,
            overwrite: opts.overwrite,
            experiment: opts.experiment,
            runName: opts.runName,
          },
          global.json ? undefined : progressBar(),
        );
        emit(global, { model_dir: result.modelDir, model_id: result.modelId, flavor: result.flavor, task: result.task, metrics_on: result.metricsOn, metrics: result.metrics, ...(result.runId ? { run_id: result.runId } : {}) }, () =>
          [
            `saved ${result.flavor} ${result.task} model ${result.modelId.slice(0, 12)} to ${result.modelDir}`,
            `metrics on the ${result.metricsOn === 'valid' ? `validation set (${opts.valid})` : 'training set (pass --valid for held-out figures)'}:`,
            table(['metric', 'value'], Object.entries(result.metrics).map(([k, v]) => [k, Number.isInteger(v) ? v : v.toFixed(6)])),
            `next: loom predict ${result.modelDir} --input <file|dataset> --output scores.parquet`,
            ...(result.runId ? [`tracked as run ${result.runId} in experiment ${opts.experiment}: loom runs show ${result.runId.slice(0, 12)}`] : []),
          ].join('\n'),
        );
      });
    });
}

interface TrainOptions {
  readonly data: string;
  readonly target: string;
  readonly model: string;
  readonly objective?: string;
  readonly param: string[];
  readonly valid?: string;
  readonly seed?: string;
  readonly threads: string;
  readonly out?: string;
  readonly overwrite?: boolean;
  readonly experiment?: string;
  readonly runName?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `key=value` pairs to a params object: numbers and true/false are typed, everything else stays text. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LoomError('TRAINING_INVALID_OPTION', { field: 'param', problem: `"${pair}" is not key=value` }, { details: { field: 'param' } });
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    params[key] = text === 'true' ? true : text === 'false' ? false : text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return params;
}

function integer(text: string, field: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new LoomError('TRAINING_INVALID_OPTION', { field, problem: `"${text}" is not an integer` }, { details: { field } });
  return value;
}
