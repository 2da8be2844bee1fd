import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import { BehaviouralTest } from '../../evaluation/behavioural/behavioural-test.js';
import { fmt, fmtEstimate } from '../../evaluation/card/model-card.js';
import type { EvaluationReport } from '../../evaluation/evaluation-report.js';
import { parseSliceOption } from '../../evaluation/slices/slice-spec.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';

interface EvalOptions {
  readonly data: string;
  readonly target?: string;
  readonly sensitive: string[];
  readonly minGroupSize: string;
  readonly slice: string[];
  readonly costMatrix?: string;
  readonly threshold?: string;
  readonly metric: string[];
  readonly bootstrap: string;
  readonly seed?: string;
  readonly query?: string;
  readonly k?: string;
  readonly behaviour?: string;
  readonly intendedUse?: string;
  readonly limitation: string[];
  readonly out?: string;
}

/** Registers `loom eval`. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval <model>')
    .description('evaluate a saved model on a dataset: metrics with bootstrap CIs, slices, calibration, fairness, costs, model card')
    .requiredOption('--data <dataset>', 'evaluation data: dataset name[@version], or a CSV/Parquet/JSONL file')
    .option('--target <column>', 'the label column (default: the column tagged target)')
    .option('--sensitive <column>', 'a sensitive column for fairness (binary models); repeat for more', collect, [])
    .option('--min-group-size <n>', 'fairness: groups with fewer rows are listed but left out of the gaps', '30')
    .option('--slice <spec>', 'a slice: col | col:q4 | col:0,12,24 | col>=60 | col=value; repeat for more', collect, [])
    .option('--cost-matrix <tn,fp,fn,tp>', 'per-row costs of the four outcomes; picks the cost-minimizing threshold')
    .option('--threshold <t>', 'decision threshold of a binary model, in [0, 1] (default 0.5)')
    .option('--metric <name>', 'report only these metrics; repeat for more (default: all of the task)', collect, [])
    .option('--bootstrap <n>', 'bootstrap resamples for the 95% intervals', '1000')
    .option('--seed <n>', 'bootstrap seed (default: the workspace seed)')
    .option('--query <column>', 'evaluate as a ranker: the query-id column (ndcg@k, map@k, recall@k)')
    .option('--k <n>', 'ranking cut-off (default 10)')
    .option('--behaviour <file>', 'behavioural tests (JSON list of invariance / directional / minimum_functionality tests)')
    .option('--intended-use <text>', 'intended use, for the model card')
    .option('--limitation <text>', 'a known limitation, for the model card; repeat for more', collect, [])
    .option('--out <dir>', 'output directory (default: <models dir>/evaluation/<model>/<dataset>@<version>)')
    .action(async (model: string, opts: EvalOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      await withWorkspace(async (ws) => {
        const behavioural = opts.behaviour === undefined ? undefined : BehaviouralTest.parseAll(readJson(opts.behaviour));
        // Loaded here, not for every `loom` start (see cli/main.ts).
        const { evaluateModel } = await import('../../evaluation/evaluate-model.js');
        const result = await evaluateModel(
          ws,
          {
            model,
            data: opts.data,
            target: opts.target,
            sensitive: opts.sensitive,
            minGroupSize: number(opts.minGroupSize, 'min-group-size'),
            slices: opts.slice.map(parseSliceOption),
            costMatrix: opts.costMatrix,
            threshold: opts.threshold === undefined ? undefined : number(opts.threshold, 'threshold'),
            metrics: opts.metric,
            bootstrap: { resamples: number(opts.bootstrap, 'bootstrap'), seed: opts.seed === undefined ? ws.config.seed : number(opts.seed, 'seed') },
            query: opts.query,
            k: opts.k === undefined ? undefined : number(opts.k, 'k'),
            behavioural,
            intendedUse: opts.intendedUse,
            limitations: opts.limitation,
            out: opts.out,
          },
          global.json ? undefined : progressBar(),
        );
        emit(global, result.report, () => humanReport(result.report, result.outDir));
      });
    });
}

/** The readable summary `loom eval` prints without --json. */
export function humanReport(r: EvaluationReport, outDir: string): string {
  const level = Math.round((r.bootstrap?.level ?? 0.95) * 100);
  const lines: string[] = [];
  lines.push(`${r.task} model ${r.model.hash.slice(0, 12)} on ${r.data.ref}: ${r.data.rows} rows${r.rows_skipped ? ` (${r.rows_skipped} skipped)` : ''}`);
  if (r.bootstrap) lines.push(`${level}% CIs: percentile bootstrap, ${r.bootstrap.resamples} resamples (${r.bootstrap.resampling}), seed ${r.bootstrap.seed}`);
  lines.push('', table(['metric', 'value', `${level}% CI`], Object.entries(r.metrics).map(([k, e]) => [k, fmt(e.value), e.ci ? `${fmt(e.ci[0])} – ${fmt(e.ci[1])}` : '—'])));
  if (r.confusion_matrix) {
    const cm = r.confusion_matrix;
    lines.push('', `confusion matrix${cm.threshold !== undefined ? ` at p ≥ ${cm.threshold}` : ''} (rows actual, columns predicted):`, table(['', ...cm.labels], cm.counts.map((row, i) => [cm.labels[i], ...row])));
  }
  if (r.calibration) lines.push('', `calibration: ECE ${fmtEstimate(r.calibration.ece)}, max bin error ${fmt(r.calibration.mce)}`);
  if (r.slices.length > 0) {
    const names = Object.keys(r.slices[0].metrics).slice(0, 3);
    lines.push('', 'slices, worst first:', table(['slice', 'rows', ...names], r.slices.slice(0, 15).map((s) => [s.name, s.size, ...names.map((n) => fmtEstimate(s.metrics[n]))])));
    if (r.slices.length > 15) lines.push(`… ${r.slices.length - 15} more in evaluation.json`);
  }
  for (const f of r.fairness) {
    lines.push('', `fairness by ${f.sensitive} (p ≥ ${f.threshold ?? r.threshold}):`);
    const iv = (name: string): string => {
      const c = f.intervals?.[name];
      return c ? ` [${fmt(c[0])}, ${fmt(c[1])}]` : '';
    };
    lines.push(`  demographic parity difference ${fmt(f.demographic_parity_difference)}${iv('demographic_parity_difference')}, ratio ${fmt(f.demographic_parity_ratio)}${iv('demographic_parity_ratio')}`);
    lines.push(`  equal opportunity difference ${fmt(f.equal_opportunity_difference)}${iv('equal_opportunity_difference')}, equalized odds difference ${fmt(f.equalized_odds_difference)}${iv('equalized_odds_difference')}`);
    if ((f.excluded_groups ?? []).length > 0) lines.push(`  (groups marked * have fewer than ${f.min_group_size} rows and are left out of these gaps: ${f.excluded_groups!.join(', ')})`);
    lines.push(table(['  group', 'rows', 'selection', 'TPR', 'FPR', 'base rate', 'mean score', 'auc'], f.groups.map((g) => [`  ${g.group}${g.below_min_group_size ? ' *' : ''}`, g.size, fmt(g.selection_rate), fmt(g.true_positive_rate ?? NaN), fmt(g.false_positive_rate ?? NaN), fmt(g.base_rate ?? NaN), fmt(g.mean_score ?? NaN), fmtEstimate(g.metrics.auc)])));
  }
  if (r.costs) {
    const c = r.costs;
    lines.push('', `costs (tn ${c.matrix.tn}, fp ${c.matrix.fp}, fn ${c.matrix.fn}, tp ${c.matrix.tp}): ${fmt(c.default_expected_cost)} per row at threshold ${fmt(c.default_threshold)}, ${fmt(c.chosen_expected_cost)} at the cost-optimal ${fmt(c.chosen_threshold)}`);
  }
  for (const b of r.behavioural ?? []) lines.push(`behavioural ${b.passed ? 'pass' : 'FAIL'}: ${b.name} (${b.kind}, ${b.failures}/${b.cases} failing)`);
  for (const n of r.notes ?? []) lines.push(`note: ${n}`);
  lines.push('', `wrote evaluation.json, model-card.md, model-card.json${r.calibration ? ', reliability.svg' : ''} to ${outDir}`);
  return lines.join('\n');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function number(text: string, field: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new LoomError('EVAL_INVALID_OPTION', { field, problem: `"${text}" is not a number` }, { details: { field } });
  return value;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoomError('EVAL_INVALID_OPTION', { field: 'behaviour', problem: `cannot read ${path}: ${(err as Error).message}` }, { cause: err, details: { field: 'behaviour' } });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LoomError('EVAL_BEHAVIOURAL_SPEC_INVALID', { name: path, field: 'json', problem: (err as Error).message }, { cause: err, details: { field: 'json' } });
  }
}
