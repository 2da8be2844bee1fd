import type { Command } from 'commander';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

/** Registers `loom experiments list` and `loom experiments report <deployment>`. */
export function registerExperimentsCommands(program: Command): void {
  const experiments = program.command('experiments').description('list tracking experiments; report on online experiments (deployments)');

  experiments
    .command('report')
    .description('the online experiment report of a deployment (by id, or a model\'s newest): per-arm figures, tests, guardrails and a verdict')
    .argument('<deployment>', 'deployment id or model name')
    .option('--outcome <name>', 'also score each arm\'s predictions against this delayed binary outcome (Brier, log loss)')
    .action(async (name: string, opts: { outcome?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        // Loaded here, not for every `loom` start (see cli/main.ts).
        const { Deployments, formatExperimentReport } = await import('../../deployment/index.js');
        const report = await (await Deployments.open(ws)).report(name, opts);
        emit(global, report, () => formatExperimentReport(report));
      });
    });

  experiments
    .command('list')
    .description('list experiments with their run counts')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { listExperiments } = await import('../../tracking/index.js');
        const list = await listExperiments(ws);
        emit(global, list, () =>
          list.length === 0
            ? 'no experiments yet; `loom train --experiment <name> …` creates one'
            : table(
                ['name', 'runs', 'running', 'last run', 'created'],
                list.map((e) => [e.name, e.runs, e.running, e.lastRunAt === null ? '' : new Date(e.lastRunAt).toISOString().slice(0, 19), new Date(e.createdAt).toISOString().slice(0, 19)]),
              ),
        );
      });
    });
}
