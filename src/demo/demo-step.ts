import type { Progress } from '../cli/progress.js';
import type { Workspace } from '../storage/workspace.js';
import type { WrittenWorld } from '../synthetic/write-world.js';
import type { DemoReportDraft } from './demo-report.js';

/** What the demo was asked to do, resolved: every field is set. */
export interface DemoSettings {
  readonly seed: number;
  readonly customers: number;
}

/**
 * Everything a demo step can use: the open workspace, the settings, the environment ingest reads LOOM_PII_KEY from,
 * a progress factory (undefined bars under `--json`), objects earlier steps left in `state`, and the report the
 * steps fill in as they go.
 */
export interface DemoContext {
  readonly ws: Workspace;
  readonly settings: DemoSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  progress(): Progress | undefined;
  readonly state: DemoState;
  readonly report: DemoReportDraft;
}

/** Objects steps hand to later steps that do not belong in the printed report. */
export interface DemoState {
  world?: WrittenWorld;
}

/**
 * One named step of the demo's lifecycle. Steps run in list order (DEMO_STEPS); a later capability appends its own
 * step (train, register, serve, monitor…) to that list, reading what earlier steps recorded in the report.
 */
export interface DemoStep {
  /** Short machine name, e.g. `ingest`; unique in the list. */
  readonly name: string;
  /** What the step does, shown in the timings. */
  readonly title: string;
  run(context: DemoContext): Promise<void>;
}
