import type { Command } from 'commander';
import { listExperiments } from '../../tracking/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

/** Registers `loom experiments list`. */
export function registerExperimentsCommands(program: Command): void {
  const experiments = program.command('experiments').description('list tracking experiments');

  experiments
    .command('list')
    .description('list experiments with their run counts')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
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
