import { resolve } from 'node:path';
import type { Progress } from '../cli/progress.js';
import { PII_KEY_ENV } from '../data/ingest/pii-hmac.js';
import { Workspace } from '../storage/workspace.js';
import { churnWorldConfig } from '../synthetic/churn-world-config.js';
import type { DemoReport, DemoReportDraft } from './demo-report.js';
import { DEMO_STEPS } from './demo-steps.js';
import type { DemoContext, DemoStep } from './demo-step.js';

/**
 * The pseudonymization key the demo uses when LOOM_PII_KEY is unset. It is public, so pseudonyms made with it
 * protect nothing: it exists so the demo runs in an empty folder, and the demo says when it used it.
 */
export const DEMO_PII_KEY = 'loom-demo-pii-key-public-not-secret';

/** Options of runDemo; all optional. */
export interface DemoOptions {
  /** World seed (default: the workspace seed, 42 unless configured). */
  readonly seed?: number;
  /** Number of customers (default 5,000). */
  readonly customers?: number;
  /** Workspace home (default: LOOM_HOME, loom.config.json or ./.loom), resolved from `cwd`. */
  readonly home?: string;
  readonly cwd?: string;
  /** Environment for config and LOOM_PII_KEY (default process.env). Never modified. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Makes a progress bar for a long step; omit for none (as under `--json`). */
  readonly progress?: () => Progress | undefined;
  /** The steps to run, in order (default DEMO_STEPS). */
  readonly steps?: readonly DemoStep[];
}

/**
 * Runs the demo's lifecycle steps on the seeded synthetic churn world, inside a workspace (created if missing), and
 * returns what they did. Re-running with the same seed finds the same dataset versions (`created: false`).
 * When LOOM_PII_KEY is unset, the demo key is used for this run only (`piiKey: 'demo'`); the process environment is
 * left alone.
 *
 * @throws LOOM_ERR_DATA_SYNTHETIC_CONFIG_INVALID for a bad `seed` or `customers`, and any error of a step
 * @example
 * const report = await runDemo({ seed: 42, customers: 5000, home: '.loom' });
 * console.log(report.validation?.driftDetected);
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const started = performance.now();
  const baseEnv = options.env ?? process.env;
  const ws = Workspace.open({ cwd: options.cwd, env: baseEnv, overrides: options.home === undefined ? {} : { home: options.home } });
  const seed = options.seed ?? ws.config.seed;
  const customers = churnWorldConfig({ seed, customers: options.customers }).customers;
  const fromEnvironment = (baseEnv[PII_KEY_ENV] ?? '') !== '';
  const env = fromEnvironment ? baseEnv : { ...baseEnv, [PII_KEY_ENV]: DEMO_PII_KEY };
  const report: DemoReportDraft = {
    seed,
    customers,
    home: ws.config.home,
    piiKey: fromEnvironment ? 'environment' : 'demo',
    world: null,
    datasets: [],
    highlights: [],
    validation: null,
    training: null,
    models: [],
    evaluationSetup: null,
    promotion: null,
    files: [],
    next: [],
    steps: [],
    elapsedMs: 0,
  };
  const context: DemoContext = { ws, settings: { seed, customers }, env, progress: () => options.progress?.(), state: {}, report };
  try {
    for (const step of options.steps ?? DEMO_STEPS) {
      const t0 = performance.now();
      await step.run(context);
      report.steps = [...report.steps, { name: step.name, title: step.title, ms: Math.round(performance.now() - t0) }];
    }
  } finally {
    await ws.close();
  }
  const prefix = ws.config.home === resolve(options.cwd ?? process.cwd(), '.loom') ? '' : `LOOM_HOME=${shellWord(ws.config.home)} `;
  report.next = report.next.map((command) => `${prefix}${command}`);
  report.elapsedMs = Math.round(performance.now() - started);
  return Object.freeze(report);
}

/** Quotes a path for a POSIX shell when it holds anything beyond safe characters. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
