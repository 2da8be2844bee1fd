import type { ModelManifest } from '../../models/artifact/index.js';
import type { EvaluationReport, MetricEstimate, MetricTable } from '../evaluation-report.js';

/** `model-card.json`: what a reader of a model version needs, from its manifest and one evaluation. */
export interface ModelCard {
  readonly format: 'loom.model-card/1';
  readonly model: {
    readonly id: string;
    readonly name?: string;
    readonly version?: number;
    readonly flavor: string;
    readonly task: string;
    readonly classes?: readonly string[];
    readonly inputs: readonly { readonly name: string; readonly type: string }[];
    readonly params: Readonly<Record<string, unknown>>;
    readonly trained_at: string;
    readonly training_data: readonly { readonly role: string; readonly name: string; readonly version: string }[];
    readonly git_sha: string | null;
    readonly loom_version: string;
  };
  readonly intended_use: string | null;
  readonly limitations: readonly string[];
  readonly evaluation: EvaluationReport;
}

/** Builds the card: the model's identity and lineage from its manifest, and the evaluation with its caveats. */
export function modelCard(report: EvaluationReport, manifest: Pick<ModelManifest, 'flavor' | 'inputSignature' | 'outputSignature' | 'params' | 'lineage'>): ModelCard {
  return {
    format: 'loom.model-card/1',
    model: {
      id: report.model.hash,
      ...(report.model.name !== undefined ? { name: report.model.name } : {}),
      ...(report.model.version !== undefined ? { version: report.model.version } : {}),
      flavor: manifest.flavor,
      task: manifest.outputSignature.task,
      ...(manifest.outputSignature.classes ? { classes: manifest.outputSignature.classes } : {}),
      inputs: manifest.inputSignature.columns.map((c) => ({ name: c.name, type: c.type })),
      params: manifest.params,
      trained_at: manifest.lineage.createdAt,
      training_data: manifest.lineage.datasets,
      git_sha: manifest.lineage.gitSha,
      loom_version: manifest.lineage.loomVersion,
    },
    intended_use: report.intended_use ?? null,
    limitations: [...(report.limitations ?? []), ...(report.notes ?? [])],
    evaluation: report,
  };
}

/** Formats a number for people: 4 significant decimals, integers as they are. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** `0.9283 [0.9241, 0.9322]`. */
export function fmtEstimate(e: MetricEstimate | undefined): string {
  if (e === undefined) return '—';
  return e.ci === null ? `${fmt(e.value)} (no interval)` : `${fmt(e.value)} [${fmt(e.ci[0])}, ${fmt(e.ci[1])}]`;
}

function metricRows(table: MetricTable): string[] {
  return Object.entries(table).map(([name, e]) => `| ${name} | ${fmt(e.value)} | ${e.ci === null ? '—' : `${fmt(e.ci[0])} – ${fmt(e.ci[1])}`} |`);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * `model-card.md`. `reliabilityImage` is the relative path of the reliability SVG written beside it (binary models).
 * Sections: model, intended use, data, metrics, confusion matrix, calibration, slices, fairness, costs, behavioural
 * tests, limitations.
 */
export function renderModelCardMarkdown(card: ModelCard, reliabilityImage: string | null): string {
  const r = card.evaluation;
  const m = card.model;
  const level = Math.round((r.bootstrap?.level ?? 0.95) * 100);
  const out: string[] = [];
  out.push(`# Model card: ${m.name ?? m.flavor} ${m.task} model \`${m.id.slice(0, 12)}\``, '');
  out.push('## Model', '');
  out.push(`- **Id** (manifest hash): \`${m.id}\``);
  out.push(`- **Flavor / task**: ${m.flavor} / ${m.task}${m.classes ? ` (classes: ${m.classes.map((c) => `\`${c}\``).join(', ')}; positive class \`${m.classes[m.classes.length - 1]}\`)` : ''}`);
  out.push(`- **Trained**: ${m.trained_at} on ${m.training_data.map((d) => `${d.role} \`${d.name}@${d.version.slice(0, 12)}\``).join(', ') || 'unrecorded data'}; Loom ${m.loom_version}${m.git_sha ? `, git ${m.git_sha.slice(0, 12)}` : ''}`);
  out.push(`- **Inputs** (${m.inputs.length}): ${m.inputs.map((c) => `${c.name} (${c.type})`).join(', ')}`, '');
  out.push('## Intended use', '', card.intended_use ?? '_Not stated. Pass `--intended-use` to `loom eval` to record who should use this model, for what decision._', '');
  out.push('## Evaluation data', '');
  out.push(`\`${r.data.ref}\`: ${r.data.rows} rows evaluated${r.rows_skipped ? ` (${r.rows_skipped} left out: missing or unknown target)` : ''}, target \`${r.target ?? '?'}\`, evaluated ${r.created_at}.`, '');
  out.push('## Metrics', '');
  if (r.bootstrap) out.push(`${level}% intervals: percentile bootstrap, ${r.bootstrap.resamples} resamples (${r.bootstrap.resampling}), seed ${r.bootstrap.seed}.${r.threshold !== undefined ? ` Threshold metrics decide positive when p ≥ ${r.threshold}.` : ''}`, '');
  out.push('| metric | value | ' + `${level}% CI |`, '|---|---|---|', ...metricRows(r.metrics), '');
  if (r.confusion_matrix) {
    const cm = r.confusion_matrix;
    out.push('### Confusion matrix', '', `| actual \\ predicted | ${cm.labels.map(cell).join(' | ')} |`, `|---|${cm.labels.map(() => '---').join('|')}|`);
    cm.counts.forEach((row, i) => out.push(`| **${cell(cm.labels[i])}** | ${row.join(' | ')} |`));
    out.push('');
  }
  if (r.calibration) {
    out.push('## Calibration', '');
    if (reliabilityImage !== null) out.push(`![Reliability diagram](${reliabilityImage})`, '');
    out.push(`ECE ${fmtEstimate(r.calibration.ece)}, maximum bin error ${fmt(r.calibration.mce)} (${r.calibration.bins.length} non-empty ${r.calibration.strategy} bins).`, '');
    out.push('| bin | rows | mean predicted | observed |', '|---|---|---|---|');
    for (const b of r.calibration.bins) out.push(`| [${b.lower.toFixed(2)}, ${b.upper.toFixed(2)}) | ${b.count} | ${fmt(b.mean_predicted)} | ${fmt(b.observed_rate)} |`);
    out.push('');
  }
  if (r.slices.length > 0) {
    const names = Object.keys(r.slices[0].metrics).slice(0, 4);
    out.push('## Slices (worst first)', '', `| slice | rows | ${names.join(' | ')} |`, `|---|---|${names.map(() => '---').join('|')}|`);
    for (const s of r.slices) out.push(`| ${cell(s.name)} | ${s.size} | ${names.map((n) => fmtEstimate(s.metrics[n])).join(' | ')} |`);
    out.push('');
  }
  if (r.fairness.length > 0) {
    out.push('## Fairness', '', 'Definitions follow Fairlearn (differences are max − min over groups, ratios min / max; equalized odds takes the worse of the TPR and FPR gaps).', '');
    for (const f of r.fairness) {
      const iv = (name: string): string => {
        const c = f.intervals?.[name];
        return c ? ` [${fmt(c[0])}, ${fmt(c[1])}]` : '';
      };
      out.push(`### \`${f.sensitive}\` (threshold ${f.threshold ?? r.threshold ?? 0.5})`, '');
      out.push(`- demographic parity difference ${fmt(f.demographic_parity_difference)}${iv('demographic_parity_difference')}, ratio ${fmt(f.demographic_parity_ratio)}${iv('demographic_parity_ratio')}`);
      out.push(`- equal opportunity difference (TPR) ${fmt(f.equal_opportunity_difference)}${iv('equal_opportunity_difference')}`);
      out.push(`- equalized odds difference ${fmt(f.equalized_odds_difference)}${iv('equalized_odds_difference')}${f.equalized_odds_ratio !== undefined ? `, ratio ${fmt(f.equalized_odds_ratio)}` : ''}`);
      if ((f.excluded_groups ?? []).length > 0) out.push(`- left out of these gaps, with fewer than ${f.min_group_size} rows (marked *): ${f.excluded_groups!.map(cell).join(', ')}`);
      out.push('');
      const metricNames = ['auc', 'accuracy'].filter((n) => f.groups.some((g) => g.metrics[n] !== undefined));
      out.push(`| group | rows | selection rate | TPR | FPR | base rate | mean score | ECE | ${metricNames.join(' | ')} |`, `|---|---|---|---|---|---|---|---|${metricNames.map(() => '---').join('|')}|`);
      for (const g of f.groups) {
        out.push(`| ${cell(g.group)}${g.below_min_group_size ? ' *' : ''} | ${g.size} | ${fmt(g.selection_rate)} | ${fmt(g.true_positive_rate ?? NaN)} | ${fmt(g.false_positive_rate ?? NaN)} | ${fmt(g.base_rate ?? NaN)} | ${fmt(g.mean_score ?? NaN)} | ${fmt(g.ece ?? NaN)} | ${metricNames.map((n) => fmtEstimate(g.metrics[n])).join(' | ')} |`);
      }
      out.push('');
    }
  }
  if (r.costs) {
    const c = r.costs;
    out.push('## Costs', '', `Cost matrix (per row): TN ${c.matrix.tn}, FP ${c.matrix.fp}, FN ${c.matrix.fn}, TP ${c.matrix.tp}.`, '');
    out.push('| threshold | expected cost per row | TN | FP | FN | TP |', '|---|---|---|---|---|---|');
    const row = (label: string, t: number, cost: number, k?: { tn: number; fp: number; fn: number; tp: number }): string => `| ${label} ${fmt(t)} | ${fmt(cost)} | ${k?.tn ?? ''} | ${k?.fp ?? ''} | ${k?.fn ?? ''} | ${k?.tp ?? ''} |`;
    out.push(row('default', c.default_threshold, c.default_expected_cost, c.default_confusion), row('cost-optimal', c.chosen_threshold, c.chosen_expected_cost, c.chosen_confusion), '');
  }
  if (r.behavioural && r.behavioural.length > 0) {
    out.push('## Behavioural tests', '', '| test | kind | result | cases | failures |', '|---|---|---|---|---|');
    for (const b of r.behavioural) out.push(`| ${cell(b.name)} | ${b.kind} | ${b.passed ? 'pass' : '**FAIL**'} | ${b.cases} | ${b.failures} |`);
    out.push('');
  }
  out.push('## Limitations', '');
  if (card.limitations.length === 0) out.push('_None recorded. Pass `--limitation` to `loom eval` to state known limits._');
  for (const l of card.limitations) out.push(`- ${l}`);
  out.push('');
  return out.join('\n');
}
