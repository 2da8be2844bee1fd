import { table } from '../cli/cli-output.js';

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
  if (r.next.length > 0) {
    out.push('', 'Look further (from this checkout, run them as `npm run loom -- <command>`)');
    for (const command of r.next) out.push(`  ${command}`);
  }
  out.push('', `Done in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.steps.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', ')})`);
  return out.join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** `name@<64 hex>` shortened to `name@<12 hex>`. */
function short(ref: string): string {
  const at = ref.lastIndexOf('@');
  return at > 0 ? ref.slice(0, at + 13) : ref;
}
