import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import type { Deployment, DeploymentEvent } from '../../deployment/index.js';
import type { Workspace } from '../../storage/workspace.js';
import { STRATEGY_KINDS } from '../../deployment/strategies/deployment-strategy.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { withWorkspace } from '../with-workspace.js';

/** The deployment store, loaded when a deploy command runs rather than for every `loom` start (see cli/main.ts). */
const openDeployments = async (ws: Workspace) => (await import('../../deployment/index.js')).Deployments.open(ws);

interface DeployOptions {
  readonly strategy?: string;
  readonly spec?: string;
  readonly stable?: string;
  readonly challenger: string[];
  readonly steps?: string;
  readonly minRequests?: string;
  readonly minDurationMs?: string;
  readonly maxErrorRate?: string;
  readonly errorBudget?: string;
  readonly maxLatencyP99?: string;
  readonly maxPsi?: string;
  readonly fallback: boolean;
  readonly autoAdvance: boolean;
  readonly sample?: string;
  readonly weights?: string;
  readonly unitField?: string;
  readonly metric?: string;
  readonly metricKind?: string;
  readonly alpha?: string;
  readonly tau2?: string;
  readonly mde?: string;
  readonly algorithm?: string;
  readonly epsilon?: string;
  readonly reward?: string;
  readonly click?: string;
  readonly reason?: string;
}

/** Registers `loom deploy <model>` and `loom deploy status|promote|rollback <name>`. */
export function registerDeployCommand(program: Command): void {
  const deploy = program
    .command('deploy')
    .description('route a registered model\'s traffic by strategy (single, blue-green, canary, shadow, ab, bandit, interleaving); `loom serve` follows it')
    .argument('[model]', 'the registered model to deploy')
    .option('--strategy <kind>', `one of ${STRATEGY_KINDS.join(', ')}`)
    .option('--spec <file.json>', 'the full strategy spec as JSON (flags below override its fields)')
    .option('--stable <ref>', 'the stable version (default: the champion alias)')
    .option('--challenger <ref>', 'a challenger version or alias (churn@3, @challenger, 3); repeat for more arms', collect, [])
    .option('--steps <percents>', 'canary: traffic steps, e.g. 5,25,50,100')
    .option('--min-requests <n>', 'canary: challenger requests per step before it advances')
    .option('--min-duration-ms <ms>', 'canary: least time per step')
    .option('--max-error-rate <rate>', 'canary/ab guardrail: highest challenger error rate, 0…1')
    .option('--error-budget <n>', 'canary/ab guardrail: challenger failures tolerated before rollback')
    .option('--max-latency-p99 <ms>', 'canary/ab guardrail: highest challenger p99 latency')
    .option('--max-psi <psi>', 'canary/ab guardrail: highest PSI of challenger scores against stable scores')
    .option('--no-fallback', 'canary: do not answer failed canary requests with the stable version')
    .option('--no-auto-advance', 'canary: wait for `loom deploy promote` instead of advancing steps on its own')
    .option('--sample <fraction>', 'shadow: fraction of requests mirrored')
    .option('--weights <list>', 'ab: traffic weights per arm, e.g. 50,50')
    .option('--unit-field <name>', 'ab: unit id source (unit_id, or a record field such as customer_id)')
    .option('--metric <outcome>', 'ab: the outcome name of the primary metric')
    .option('--metric-kind <kind>', 'ab: proportion or mean')
    .option('--alpha <a>', 'ab: significance level')
    .option('--tau2 <t>', 'ab: mSPRT mixing variance')
    .option('--mde <effect>', 'ab: minimum detectable effect (absolute) for the sample size')
    .option('--algorithm <name>', 'bandit: thompson or epsilon-greedy')
    .option('--epsilon <e>', 'bandit: exploration rate of epsilon-greedy')
    .option('--reward <outcome>', 'bandit: the rewarding outcome name')
    .option('--click <outcome>', 'interleaving: the click outcome name')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (model: string | undefined, opts: DeployOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      if (model === undefined) throw invalid('model', 'name the model to deploy: loom deploy <model> --strategy …');
      const strategy = strategySpec(opts);
      await withWorkspace(async (ws) => {
        const deployments = await openDeployments(ws);
        const d = await deployments.deploy({ model, strategy, stable: opts.stable, challengers: opts.challenger, reason: opts.reason });
        emit(global, { deployment: d }, () => `deployed ${d.model} as ${d.id} (${d.strategy.kind}): ${d.arms.map((a) => `${a.name}=v${a.version}`).join(', ')}\n\`loom serve\` routes it; \`loom deploy status ${d.model}\` follows it`);
      });
    });

  deploy
    .command('status')
    .description('a deployment (by id, or a model\'s newest): state, step, arms and audit trail')
    .argument('<name>', 'deployment id or model name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const { deployment, events } = await (await openDeployments(ws)).status(name);
        emit(global, { deployment, events }, () => describe(deployment, events));
      });
    });

  deploy
    .command('promote')
    .description('end a deployment with one arm taking all traffic, and point the champion alias at it')
    .argument('<name>', 'deployment id or model name')
    .option('--arm <name>', 'the winning arm (default: the challenger of a two-arm deployment)')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (name: string, opts: { arm?: string; reason?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const d = await (await openDeployments(ws)).promote(name, { arm: opts.arm, reason: reasonOf(opts, cmd) });
        emit(global, { deployment: d }, () => `promoted ${d.finalArm} of ${d.id}: ${d.model}@champion is now version ${d.arms.find((a) => a.name === d.finalArm)?.version}`);
      });
    });

  deploy
    .command('rollback')
    .description('end a deployment with the stable arm taking all traffic')
    .argument('<name>', 'deployment id or model name')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .action(async (name: string, opts: { reason?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const d = await (await openDeployments(ws)).rollback(name, { reason: reasonOf(opts, cmd) });
        emit(global, { deployment: d }, () => `rolled back ${d.id}: all ${d.model} traffic goes to ${d.arms[0].name} (version ${d.arms[0].version})`);
      });
    });
}

/** The strategy spec the flags describe (on top of --spec). @internal */
export function strategySpec(opts: DeployOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = opts.spec === undefined ? {} : readSpec(opts.spec);
  if (opts.strategy !== undefined) spec.kind = opts.strategy;
  if (spec.kind === undefined) throw invalid('strategy', `choose one of ${STRATEGY_KINDS.join(', ')} with --strategy (or give --spec)`);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value;
  };
  set('steps', opts.steps === undefined ? undefined : list(opts.steps, 'steps'));
  set('min_requests', int(opts.minRequests, 'min-requests'));
  set('min_duration_ms', int(opts.minDurationMs, 'min-duration-ms'));
  if (opts.fallback === false) spec.fallback = false;
  if (opts.autoAdvance === false) spec.auto_advance = false;
  const guardrails = { ...((spec.guardrails as Record<string, unknown> | undefined) ?? {}) };
  if (opts.maxErrorRate !== undefined || opts.errorBudget !== undefined) {
    const current = (guardrails.error_rate as Record<string, unknown> | undefined) ?? {};
    guardrails.error_rate = { ...current, max: num(opts.maxErrorRate, 'max-error-rate') ?? current.max ?? 0.05, ...(opts.errorBudget === undefined ? {} : { budget: int(opts.errorBudget, 'error-budget') }) };
  }
  if (opts.maxLatencyP99 !== undefined) guardrails.latency_p99 = { ...((guardrails.latency_p99 as object | undefined) ?? {}), max_ms: num(opts.maxLatencyP99, 'max-latency-p99') };
  if (opts.maxPsi !== undefined) guardrails.prediction_drift = { metric: 'psi', ...((guardrails.prediction_drift as object | undefined) ?? {}), max: num(opts.maxPsi, 'max-psi') };
  if (Object.keys(guardrails).length > 0) spec.guardrails = guardrails;
  set('sample', num(opts.sample, 'sample'));
  set('weights', opts.weights === undefined ? undefined : list(opts.weights, 'weights'));
  set('unit_field', opts.unitField);
  if (opts.metric !== undefined || opts.metricKind !== undefined) spec.metric = { ...((spec.metric as object | undefined) ?? { outcome: 'conversion' }), ...(opts.metric === undefined ? {} : { outcome: opts.metric }), ...(opts.metricKind === undefined ? {} : { kind: opts.metricKind }) };
  set('alpha', num(opts.alpha, 'alpha'));
  set('tau2', num(opts.tau2, 'tau2'));
  set('mde', num(opts.mde, 'mde'));
  set('algorithm', opts.algorithm);
  set('epsilon', num(opts.epsilon, 'epsilon'));
  set('reward', opts.reward);
  set('click', opts.click);
  return spec;
}

function readSpec(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoomError('DEPLOY_INVALID_OPTION', { field: 'spec', problem: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})` }, { details: { field: 'spec' }, cause: err });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new LoomError('DEPLOY_INVALID_OPTION', { field: 'spec', problem: `${path} is not a JSON object` }, { details: { field: 'spec' }, cause: err });
  }
}

function describe(d: Deployment, events: readonly DeploymentEvent[]): string {
  const spec = d.strategy;
  const step = spec.kind === 'canary' ? `  step ${d.step + 1}/${spec.steps.length} (${spec.steps[d.step]}%)` : '';
  return [
    `${d.id}  ${d.model}  ${spec.kind}  ${d.state}${step}${d.finalArm === null ? '' : `  → ${d.finalArm}`}`,
    `arms: ${d.arms.map((a) => `${a.name}=v${a.version}`).join(', ')}; created ${new Date(d.createdAt).toISOString().slice(0, 19)} by ${d.createdBy}`,
    '',
    table(['time', 'action', 'step', 'actor', 'reason'], events.map((e) => [new Date(e.createdAt).toISOString().slice(0, 19), e.action, e.toStep === null ? '' : e.toStep + 1, e.actor, e.reason ?? ''])),
  ].join('\n');
}

function list(text: string, field: string): number[] {
  return text.split(',').map((t) => num(t.trim(), field)!);
}

function num(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const v = /^-?[0-9]*\.?[0-9]+(e-?[0-9]+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(v)) throw invalid(field, `"${text}" is not a number`);
  return v;
}

function int(text: string | undefined, field: string): number | undefined {
  const v = num(text, field);
  if (v !== undefined && !Number.isSafeInteger(v)) throw invalid(field, `"${text}" is not a whole number`);
  return v;
}

function invalid(field: string, problem: string): LoomError {
  return new LoomError('DEPLOY_INVALID_OPTION', { field, problem }, { details: { field } });
}

/** `--reason` given after the subcommand is parsed by the parent `deploy` command (commander's non-positional options). */
function reasonOf(opts: { reason?: string }, cmd: Command): string | undefined {
  return opts.reason ?? cmd.optsWithGlobals<{ reason?: string }>().reason;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
