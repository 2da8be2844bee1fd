import { Command } from 'commander';
import { registerDataCommands } from './commands/data-command.js';
import { registerFeaturesCommands } from './commands/features-command.js';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerDeployCommand } from './commands/deploy-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerExperimentsCommands } from './commands/experiments-command.js';
import { registerModelsCommands } from './commands/models-command.js';
import { registerPredictCommand } from './commands/predict-command.js';
import { registerRunsCommands } from './commands/runs-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerTrainCommands } from './commands/train-command.js';
import { registerTuneCommand } from './commands/tune-command.js';
import { registerValidateCommands } from './commands/validate-command.js';
import { reportError } from './cli-output.js';

/**
 * Builds the `loom` program. Each capability registers its commands here. A command file imports only what defining
 * the command needs; its machinery (DuckDB, the server, the learners, storage) is imported inside its action, so
 * `loom --help` and each command start without loading the others' (decision 0011, test/e2e/cli-startup.test.ts).
 */
export function buildProgram(): Command {
  const program = new Command('loom')
    .description('Loom: an end-to-end machine-learning platform for Node.js')
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError()
    .exitOverride();
  registerDataCommands(program);
  registerFeaturesCommands(program);
  registerValidateCommands(program);
  registerTrainCommands(program);
  registerPredictCommand(program);
  registerTuneCommand(program);
  registerEvalCommand(program);
  registerRunsCommands(program);
  registerExperimentsCommands(program);
  registerModelsCommands(program);
  registerServeCommand(program);
  registerDeployCommand(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI on `argv`; errors print as `error LOOM_ERR_…` and exit 2. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('commander.')) {
      // commander already printed help or the usage error.
      if (code !== 'commander.helpDisplayed' && code !== 'commander.version' && code !== 'commander.help') process.exitCode = 2;
      return;
    }
    reportError(err, argv.includes('--json'));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCli(process.argv);
