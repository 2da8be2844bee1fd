import { table } from '../cli/cli-output.js';
import { formatExperimentReport } from '../deployment/reports/format-report.js';
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

/** Formats the report for people: what was made, what the profiles show, what validation found, where to look. */
export function formatDemoReport(r: DemoReport): string {
  const out: string[] = [`Loom demo: a seeded synthetic churn business (seed ${r.seed}, ${r.customers} customers) in ${r.home}`];
  if (r.piiKey === 'demo') {
    out.push('LOOM_PII_KEY is not set, so the demo pseudonymized `email` with its built-in demo key. Set LOOM_PII_KEY (a secret) for real data.');
  }
  if (r.world) {
    const w = r.world;
    out.push('', `World  ${w.dir}  (drift switch at ${w.driftAt})`);
    out.push(indent(table(['file', 'rows', 'bytes'], w.files.map((f) => [f.file, f.rows, f.bytes]))));
    out.push(
      `  truth: churn rate ${pct(w.truth.reference.churnRate)} before the switch, ${pct(w.truth.drifted.churnRate)} after; ` +
        `best possible AUC ${w.truth.reference.expectedAuc.toFixed(3)} → ${w.truth.drifted.expectedAuc.toFixed(3)} (ground-truth.csv, never ingested)`,
    );
    out.push(`  labels arrive late: ${w.labelsPendingAtEnd} were not yet known when the observation window closed`);
  }
  if (r.datasets.length > 0) {
    out.push('', 'Datasets');
    out.push(indent(table(['role', 'dataset', 'version', 'rows', 'columns', 'new'], r.datasets.map((d) => [d.role, d.name, d.version.slice(0, 12), d.rows, d.columns, d.created ? 'yes' : 'no (same content)']))));
  }
  if (r.highlights.length > 0) {
    out.push('', 'Profile highlights');
    for (const h of r.highlights) out.push(`  ${h.dataset}.${h.column}: ${h.text}`);
  }
  if (r.validation) {
    const v = r.validation;
    out.push('', `Validation  suite ${v.suite}: ${v.expectations} expectations generated from ${short(v.generatedFrom)}`);
    for (const run of v.runs) {
      out.push(`  ${run.success ? '✔' : '✘'} ${run.role} (${short(run.target)}): ${run.passed}/${run.evaluated} passed, ${run.failed} failed`);
      for (const f of run.failures) out.push(`      ✘ ${f.kind}${f.column ? ` ${f.column}` : ''}: expected ${f.expected}; observed ${f.observed}`);
    }
    out.push(v.driftDetected ? '  → drift detected: the current period breaks expectations the reference period meets' : '  → no drift detected');
  }
  if (r.training) {
    const t = r.training;
    out.push('', `Training tables  (${t.builder}) ${t.description}`);
    out.push(`  target ${t.target}; ${t.features.length} features: ${t.features.join(', ')}`);
    out.push(
      indent(
        table(
          ['period', 'dataset', 'version', 'rows', 'churn rate', 'left out: label not yet known', 'age unknown'],
          t.tables.map((x) => [x.period, x.dataset, x.version.slice(0, 12), x.rows, pct(x.churnRate), x.labelsPending, x.ageUnknown]),
        ),
      ),
    );
  }
  if (r.featureStore) out.push('', ...formatFeatureStore(r.featureStore));
  if (r.tuning) {
    const t = r.tuning;
    const states = Object.entries(t.states).map(([k, v]) => `${v} ${k}`).join(', ');
    out.push('', `Tuning  study ${t.study} (${t.sampler.toUpperCase()}, ${t.pruner} pruning): ${t.trials} trials (${states})${t.resumed ? `, resumed: ${t.ranThisSession} run now` : ''}`);
    out.push(`  each trial: ${t.validation}, scored by validation ${t.metric} after every iteration`);
    out.push(`  best: trial ${t.bestTrial}, validation ${t.metric} ${t.bestValue.toFixed(3)} with ${Object.entries(t.bestParams).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v}`).join(' ')}`);
    out.push(`  tracked in experiment ${t.experiment}: a parent run per session (this one ${t.parentRunId.slice(0, 12)}) and a child run per trial, tagged loom.study and loom.parent_run_id (the command is under "Look further")`);
  }
  if (r.models.length > 0) {
    out.push('', 'Models  trained on the reference period, tracked in experiment churn');
    out.push(
      indent(
        table(
          ['model', 'params', 'run', 'train auc', 'registered', 'alias'],
          r.models.map((m) => [
            m.role,
            Object.keys(m.params).length === 0 ? 'class priors' : r.tuning && m.role === 'gbdt' ? `tuned (trial ${r.tuning.bestTrial})` : Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(' '),
            m.runId?.slice(0, 12) ?? '—',
            num(m.trainAuc),
            m.registry ? `${m.registry.name}@${m.registry.version}${m.registry.created ? '' : ' (existing)'}` : '—',
            m.registry?.alias ?? '—',
          ]),
        ),
      ),
    );
  }
  const evaluated = r.models.filter((m) => m.evaluation !== null);
  if (r.evaluationSetup && evaluated.length > 0) {
    const e = r.evaluationSetup;
    out.push('', `Evaluation on the current period (${short(e.data)}), 95% bootstrap CIs from ${e.resamples} resamples`);
    out.push(`  cost matrix tn ${e.costMatrix.tn}, fp ${e.costMatrix.fp}, fn ${e.costMatrix.fn}, tp ${e.costMatrix.tp}: ${e.why}`);
    out.push(
      indent(
        table(
          ['model', 'rows', 'auc (95% CI)', 'pr auc', `cost/customer at p ≥ ${e.threshold}`, 'offers', `best cost (p ≥ t)`, `eo gap by ${e.sensitive} (95% CI)`],
          evaluated.map((m) => {
            const v = m.evaluation!;
            return [
              m.role,
              v.rows,
              est(v.auc),
              num(v.prAuc?.value ?? null),
              num(v.cost.atThreshold),
              v.cost.flagged ?? '—',
              `${num(v.cost.atOptimal)} (${num(v.cost.optimalThreshold)})`,
              v.fairness ? est(v.fairness.equalOpportunityDifference) : '—',
            ];
          }),
        ),
      ),
    );
    for (const m of evaluated) {
      const v = m.evaluation!;
      out.push(`  ${m.role}: worst slices by auc ${v.worstSlices.map((s) => `${s.name} (${s.rows} rows) ${num(s.auc)}`).join('; ')}`);
      if (v.fairness) {
        out.push(`  ${m.role}: recall (TPR) by ${v.fairness.sensitive} ${v.fairness.groups.map((g) => `${g.group} ${num(g.truePositiveRate)} (${g.rows})`).join(', ')}`);
      }
    }
    out.push('  "best cost" uses the threshold that is cheapest on these very rows, so it flatters; the gate compares costs at the fixed threshold.');
  }
  if (r.promotion) {
    const p = r.promotion;
    out.push('', `Promotion  ${p.model}: challenger → champion through ${p.gateFile}`);
    for (const rule of p.rules) out.push(`  ${rule.status === 'passed' ? '✔' : rule.status === 'failed' ? '✘' : '–'} ${rule.rule}: ${rule.reason}`);
    out.push('  ((95% CI) rules fail only when the whole interval breaks them: the evaluation must show the challenger is worse)');
    out.push(
      p.passed
        ? `  → gate passed: champion is now ${p.model}@${p.championVersion} (the ${p.championRole}), was ${p.fromVersion === null ? 'unset' : `${p.model}@${p.fromVersion}`}`
        : `  → gate failed: champion stays ${p.model}@${p.championVersion} (the ${p.championRole})`,
    );
  }
  if (r.canary) {
    const c = r.canary;
    out.push('', `Canary  served at ${c.url}; replayed ${c.requests} customers' requests in ${(c.replayMs / 1000).toFixed(1)} s (${c.errors} errors), true churn labels posted as feedback`);
    out.push(indent(formatExperimentReport(c.experiment)));
  }
  if (r.files.length > 0) {
    out.push('', 'Files');
    for (const f of r.files) out.push(`  ${f.what}: ${f.path}`);
  }
  if (r.next.length > 0) {
    out.push('', 'Look further (from this checkout, run them as `npm run loom -- <command>`)');
    for (const command of r.next) out.push(`  ${command}`);
  }
  out.push('', `Done in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.steps.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', ')})`);
  return out.join('\n');
}

/** The feature views the training sets read, their refs, and the online materialization. */
function formatFeatureStore(f: DemoFeatureStore): string[] {
  const out = [`Feature store  ${f.views.length} views ${f.applied ? 'applied' : 'already registered (no change)'}; the training sets record ${f.refs.length} refs, which the registered models carry`];
  out.push(indent(table(['view', 'version', 'source', 'features'], f.views.map((v) => [v.view, v.version.slice(0, 12), short(v.source), v.features.join(', ')]))));
  out.push(`  refs: ${f.refs.join(', ')}`);
  const m = f.materialization;
  if (m) {
    out.push(`  materialized into ${m.store} up to ${m.end}: ${m.views.map((v) => `${v.view} ${v.entities} customers (${v.written} written)`).join(', ')}`);
  }
  return out;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

function num(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(3);
}

function est(e: DemoEstimate): string {
  return e.ci === null ? num(e.value) : `${num(e.value)} [${num(e.ci[0])}, ${num(e.ci[1])}]`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** `name@<64 hex>` shortened to `name@<12 hex>`. */
function short(ref: string): string {
  const at = ref.lastIndexOf('@');
  return at > 0 ? ref.slice(0, at + 13) : ref;
}
