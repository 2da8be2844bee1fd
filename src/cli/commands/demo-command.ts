import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import { emit, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';

/**
 * Registers `loom demo [--seed n] [--customers n] [--home dir]`: generates the seeded synthetic churn world,
 * ingests, splits, profiles and validates it, builds the churn training tables, trains, evaluates and registers a
 * baseline and a GBDT, promotes the GBDT through a gate, and prints what it did and where to look (one JSON object
 * with the global `--json`, and no progress bars then). Exits 0 when every step ran, also when validation finds the
 * drift it is meant to find or the gate keeps the champion; a bad option is a coded error (exit 2).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the Loom lifecycle on a seeded synthetic churn business and print where to look next')
    .option('--seed <n>', 'world seed (default: the workspace seed, 42)', (text) => wholeNumber(text, 'seed'))
    .option('--customers <n>', 'number of customers (default 5000)', (text) => wholeNumber(text, 'customers'))
    .option('--home <dir>', 'workspace folder (default: LOOM_HOME or ./.loom)')
    .action(async (opts: { seed?: number; customers?: number; home?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      // Loaded here, not for every `loom` start (see cli/main.ts).
      const [{ runDemo }, { formatDemoReport }] = await Promise.all([import('../../demo/run-demo.js'), import('../../demo/demo-report.js')]);
      const report = await runDemo({
        seed: opts.seed,
        customers: opts.customers,
        home: opts.home,
        progress: global.json ? undefined : () => progressBar(),
      });
      emit(global, report, () => formatDemoReport(report));
    });
}

/** Parses a whole-number option; the world config checks its range. @throws LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID */
function wholeNumber(text: string, field: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value)) {
    throw new LoomError('DATA_SYNTHETIC_CONFIG_INVALID', { field, problem: `"${text}" is not a whole number` }, { details: { field } });
  }
  return value;
}
