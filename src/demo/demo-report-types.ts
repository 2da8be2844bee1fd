/** The demo report's shape: what each step records. */
import type { DemoCanary } from './canary-step.js';

/** One dataset version the demo made or found, with its role in the story (customers, events, labels, reference, current). */
export interface DemoDataset {
  readonly role: string;
  readonly name: string;
  readonly version: string;
  readonly rows: number;
  readonly columns: number;
  /** False when identical content was already stored (a re-run). */
  readonly created: boolean;
}

/** A notable fact from a profile, e.g. a column's nulls or a mean that moved. */
export interface DemoHighlight {
  readonly dataset: string;
  readonly column: string;
  readonly text: string;
}

/** A failed expectation, described for people. */
export interface DemoFailure {
  readonly kind: string;
  readonly column: string | null;
  readonly expected: string;
  readonly observed: string;
}

/** One suite run on one dataset version. */
export interface DemoValidationRun {
  readonly role: string;
  /** `dataset@version`. */
  readonly target: string;
  readonly success: boolean;
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly failures: readonly DemoFailure[];
}

/** The validation part of the demo: a suite generated from the reference period, run on both periods. */
export interface DemoValidation {
  readonly suite: string;
  readonly hash: string;
  readonly expectations: number;
  readonly generatedFrom: string;
  /** Timestamp range checks left out of the generated suite: time moves on, so they would always fail. */
  readonly droppedTimestampRanges: number;
  readonly runs: readonly DemoValidationRun[];
  /** True when the suite passes on the reference period and fails on the current one. */
  readonly driftDetected: boolean;
}

/** The synthetic world as the demo reports it. */
export interface DemoWorld {
  readonly dir: string;
  readonly files: readonly { readonly file: string; readonly rows: number; readonly bytes: number; readonly sha256: string }[];
  readonly driftAt: string;
  readonly truth: {
    readonly reference: { readonly customers: number; readonly churnRate: number; readonly expectedAuc: number };
    readonly drifted: { readonly customers: number; readonly churnRate: number; readonly expectedAuc: number };
  };
  readonly labelsPendingAtEnd: number;
}

/** One period's training table: a dataset version with one labelled row per customer. */
export interface DemoTrainingTable {
  readonly period: 'reference' | 'current';
  readonly dataset: string;
  readonly version: string;
  readonly rows: number;
  readonly columns: number;
  /** Share of churners among the rows. */
  readonly churnRate: number;
  /** Customers of the period left out because their label was not known yet when the window closed. */
  readonly labelsPending: number;
  /** Customers of the period left out because their age (hence age band) is missing. */
  readonly ageUnknown: number;
  readonly created: boolean;
  /** The Parquet file written before ingest: the table itself (SQL builder) or its entity rows (feature-store builder). */
  readonly file: string;
}

/** How the training tables were built, and what they hold. */
export interface DemoTraining {
  readonly builder: string;
  readonly description: string;
  readonly target: string;
  readonly features: readonly string[];
  readonly tables: readonly DemoTrainingTable[];
}

/** The feature store behind the training tables (the feature-store builder): views applied, refs read, materialization. */
export interface DemoFeatureStore {
  readonly views: readonly { readonly view: string; readonly version: string; readonly source: string; readonly features: readonly string[] }[];
  /** The refs each training set recorded (`view:feature`), in column order: what a model trained on it reads online. */
  readonly refs: readonly string[];
  /** True when `loom features apply` registered a change (false on a re-run with the same definitions). */
  readonly applied: boolean;
  /** The online materialization, once the materialize step ran. */
  readonly materialization: DemoMaterialization | null;
}

/** One materialization of the demo's views into the online store, up to the world's observation window end. */
export interface DemoMaterialization {
  /** The online store written (e.g. `sqlite:<path>`). */
  readonly store: string;
  /** Event-time end, ISO UTC. */
  readonly end: string;
  /** Per view: entities whose window-aggregate states were read, and how many the store accepted (not older than the stored state: a re-run rewrites the same values). */
  readonly views: readonly { readonly view: string; readonly version: string; readonly entities: number; readonly written: number }[];
}

/** A metric with its bootstrap interval. */
export interface DemoEstimate {
  readonly value: number;
  readonly ci: readonly [number, number] | null;
}

/** The figures the demo reads from one model's evaluation report on the current period. */
export interface DemoEvaluation {
  /** `dataset@version` evaluated on. */
  readonly data: string;
  readonly rows: number;
  readonly auc: DemoEstimate;
  readonly prAuc: DemoEstimate | null;
  readonly brier: DemoEstimate | null;
  /** Expected cost per customer at the demo's decision threshold, and at the threshold that minimizes it on these rows. */
  readonly cost: { readonly atThreshold: number; readonly optimalThreshold: number; readonly atOptimal: number; readonly flagged: number | null };
  /** Fairness by the sensitive column at the decision threshold. */
  readonly fairness: {
    readonly sensitive: string;
    readonly groups: readonly { readonly group: string; readonly rows: number; readonly truePositiveRate: number | null; readonly selectionRate: number }[];
    readonly equalOpportunityDifference: DemoEstimate;
    readonly demographicParityDifference: DemoEstimate;
  } | null;
  /** The worst slices by AUC (region and plan), worst first. */
  readonly worstSlices: readonly { readonly name: string; readonly rows: number; readonly auc: number | null }[];
  readonly outDir: string;
  readonly card: string;
}

/** The GBDT's tuning study (the train step): TPE trials as child runs of one parent run. */
export interface DemoTuning {
  readonly study: string;
  /** `dataset@version` tuned on. */
  readonly data: string;
  readonly experiment: string;
  readonly sampler: string;
  readonly pruner: string;
  /** How each trial was scored, for people. */
  readonly validation: string;
  readonly metric: string;
  /** Trials the study holds, and how many ran now (0 when a re-run found the study done). */
  readonly trials: number;
  readonly ranThisSession: number;
  readonly resumed: boolean;
  /** Trials by state, e.g. `{ complete: 6, pruned: 4 }`. */
  readonly states: Readonly<Record<string, number>>;
  readonly bestTrial: number;
  /** The best trial's validation score. */
  readonly bestValue: number;
  /** The best trial's params with the space's fixed ones: what the GBDT was trained with. */
  readonly bestParams: Readonly<Record<string, string | number | boolean>>;
  readonly parentRunId: string;
}

/** One model the demo trained, registered and evaluated. */
export interface DemoModel {
  readonly role: 'baseline' | 'gbdt';
  readonly flavor: string;
  /** The parameters the demo asked for (the manifest records the full resolved set). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly runId: string | null;
  readonly modelDir: string;
  /** AUC on the training rows (reference period), as the run recorded it. */
  readonly trainAuc: number | null;
  readonly registry: { readonly name: string; readonly version: number; readonly created: boolean; readonly alias: string } | null;
  readonly evaluation: DemoEvaluation | null;
}

/** What the evaluation step was asked to measure. */
export interface DemoEvaluationSetup {
  readonly data: string;
  readonly slices: readonly string[];
  readonly sensitive: string;
  readonly costMatrix: { readonly tn: number; readonly fp: number; readonly fn: number; readonly tp: number };
  readonly threshold: number;
  /** Why the matrix and threshold are what they are. */
  readonly why: string;
  readonly resamples: number;
}

/** The gated promotion of the challenger. */
export interface DemoPromotion {
  readonly model: string;
  readonly gateFile: string;
  readonly passed: boolean;
  readonly rules: readonly { readonly rule: string; readonly status: 'passed' | 'failed' | 'skipped'; readonly reason: string }[];
  /** The champion's version before and after. */
  readonly fromVersion: number | null;
  readonly championVersion: number;
  /** Which of the demo's models holds `champion` now. */
  readonly championRole: 'baseline' | 'gbdt';
}

/**
 * What `loom demo` did, as printed by `--json`. Steps fill it in order; later capabilities add their own fields.
 * Times are ms; `piiKey` says whether LOOM_PII_KEY came from the environment or the demo's built-in key.
 */
export interface DemoReport {
  readonly seed: number;
  readonly customers: number;
  readonly home: string;
  readonly piiKey: 'environment' | 'demo';
  readonly world: DemoWorld | null;
  readonly datasets: readonly DemoDataset[];
  readonly highlights: readonly DemoHighlight[];
  readonly validation: DemoValidation | null;
  readonly training: DemoTraining | null;
  /** The feature store's views, refs and online materialization, when the feature-store builder made the tables. */
  readonly featureStore?: DemoFeatureStore | null;
  /** The GBDT's tuning study, when the train step ran. */
  readonly tuning?: DemoTuning | null;
  readonly models: readonly DemoModel[];
  readonly evaluationSetup: DemoEvaluationSetup | null;
  readonly promotion: DemoPromotion | null;
  /** The canary on a replayed day of traffic (the canary step), when it ran. */
  readonly canary?: DemoCanary | null;
  /** Files to open: the model cards, evaluation reports, the gate. */
  readonly files: readonly { readonly what: string; readonly path: string }[];
  /** Commands to look further, in the order to try them. */
  readonly next: readonly string[];
  readonly steps: readonly { readonly name: string; readonly title: string; readonly ms: number }[];
  readonly elapsedMs: number;
}

/** The report while steps fill it: the same fields, reassignable. */
export type DemoReportDraft = { -readonly [K in keyof DemoReport]: DemoReport[K] };
