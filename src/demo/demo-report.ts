import { table } from '../cli/cli-output.js';
import { formatExperimentReport } from '../deployment/reports/format-report.js';
import type { DemoFeatureStore, DemoEstimate, DemoReport } from './demo-report-types.js';

export type * from './demo-report-types.js';


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
