import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import { DEFAULT_CHUNK_ROWS } from '../../serving/serving-defaults.js';
import { emit, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';

interface PredictOptions {
  readonly input: string;
  readonly output: string;
  readonly chunkRows?: string;
  readonly keep?: string;
  readonly skipInvalid?: boolean;
  readonly resume?: boolean;
  readonly explain?: boolean;
}

/**
 * Registers `loom predict <model>`. A registry reference (`churn@champion`, `churn@3`) runs the chunked, resumable
 * batch prediction (batchPredict). A model directory without any batch option keeps the directory scoring of
 * predictToFile (`row`, id-tagged columns, outputs); `--explain` also goes there (registry references are resolved
 * to their directory first).
 */
export function registerPredictCommand(program: Command): void {
  program
    .command('predict <model>')
    .description('score a file or dataset with a registered model (name[@alias|@version]) or a model directory, and write the predictions')
    .requiredOption('--input <file|dataset>', 'a CSV/Parquet/JSONL file, or a dataset name[@version]')
    .requiredOption('--output <file>', 'where to write: .parquet or .csv')
    .option('--chunk-rows <n>', `rows read, checked and predicted at a time (default ${DEFAULT_CHUNK_ROWS})`)
    .option('--keep <columns>', 'comma-separated input columns copied to the output (default: all; "" for none)')
    .option('--skip-invalid', 'write rows that fail the input signature check to <output stem>.rejects.<ext> and predict the rest')
    .option('--resume', 'continue an interrupted run from its last completed chunk (same model, input and options)')
    .option('--explain', "add each feature's TreeSHAP contribution to the raw score (gbdt models; not with batch options)")
    .action(async (model: string, opts: PredictOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const batchOptions = ['chunkRows', 'keep', 'skipInvalid', 'resume'].filter((k) => opts[k as keyof PredictOptions] !== undefined);
      const isDir = existsSync(resolve(model)) && statSync(resolve(model)).isDirectory();
      await withWorkspace(async (ws) => {
        if (opts.explain || (isDir && batchOptions.length === 0)) {
          if (batchOptions.length > 0) throw new LoomError('PREDICT_INVALID_OPTION', { field: 'explain', problem: `it cannot be combined with the batch options (${batchOptions.map(flag).join(', ')})` }, { details: { field: 'explain' } });
          // Loaded here, not for every `loom` start (see cli/main.ts).
          const [{ ModelRegistry }, { predictToFile }] = await Promise.all([import('../../registry/index.js'), import('../../training/index.js')]);
          const modelDir = isDir ? model : (await (await ModelRegistry.open(ws)).resolve(model)).dir;
          const result = await predictToFile(ws, { modelDir, input: opts.input, output: opts.output, explain: opts.explain }, global.json ? undefined : progressBar());
          emit(global, { output: result.output, rows: result.rows, columns: result.columns, model_id: result.modelId }, () => `wrote ${result.rows} predictions (${result.columns.join(', ')}) to ${result.output}`);
          return;
        }
        const { batchPredict } = await import('../../serving/batch/index.js');
        const result = await batchPredict(
          ws,
          {
            model,
            input: opts.input,
            output: opts.output,
            chunkRows: opts.chunkRows === undefined ? undefined : wholeNumber(opts.chunkRows),
            keep: opts.keep === undefined ? undefined : opts.keep.split(',').map((s) => s.trim()).filter((s) => s !== ''),
            skipInvalid: opts.skipInvalid ?? false,
            resume: opts.resume ?? false,
          },
          global.json ? undefined : progressBar(),
        );
        emit(
          global,
          { output: result.output, model: result.model, input_rows: result.inputRows, written: result.written, rejected: result.rejected, rejects: result.rejects, chunks: result.chunks, resumed_chunks: result.resumedChunks, columns: result.columns },
          () =>
            [
              `wrote ${result.written} predictions of ${result.model.name} version ${result.model.version} to ${result.output}`,
              ...(result.resumedChunks > 0 ? [`resumed after ${result.resumedChunks} of ${result.chunks} chunks`] : []),
              ...(result.rejects === null ? [] : [`${result.rejected} invalid rows went to ${result.rejects}`]),
            ].join('\n'),
        );
      });
    });
}

function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function wholeNumber(text: string): number {
  const v = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(v)) throw new LoomError('PREDICT_INVALID_OPTION', { field: 'chunk-rows', problem: `"${text}" is not a whole number` }, { details: { field: 'chunk-rows' } });
  return v;
}
