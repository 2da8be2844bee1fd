import { join } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import { evaluateModel } from '../evaluation/evaluate-model.js';
import type { EvaluationReport, MetricEstimate } from '../evaluation/evaluation-report.js';
import { parseSliceOption } from '../evaluation/slices/slice-spec.js';
import { readEvaluationFile } from '../registry/attach-evaluation.js';
import { ModelRegistry } from '../registry/model-registry.js';
import type { DemoEstimate, DemoEvaluation, DemoEvaluationSetup } from './demo-report.js';
import type { DemoContext, DemoStep } from './demo-step.js';
import { DEMO_SENSITIVE } from './training-table-builder.js';

/**
 * The churn cost matrix, per customer, in units of one retention offer: an offer costs 1 whoever gets it; a churner
 * nobody contacted is lost revenue worth 10 offers (fn 10, the dearest outcome); an offer keeps about half the churners
 * who get it, so a contacted churner still costs 1 + 10/2 = 6 (tp); a stayer who got an offer costs 1 (fp), one left
 * alone nothing (tn).
 */
export const DEMO_COST_MATRIX = Object.freeze({ tn: 0, fp: 1, fn: 10, tp: 6 });
/**
 * The decision threshold that matrix implies for calibrated scores: an offer costs fp + p·(tp − fp), none costs
 * p·fn (with tn 0), so offer when p ≥ (fp − tn) / ((fp − tn) + (fn − tp)) = 1/5.
 */
export const DEMO_THRESHOLD = (DEMO_COST_MATRIX.fp - DEMO_COST_MATRIX.tn) / (DEMO_COST_MATRIX.fp - DEMO_COST_MATRIX.tn + (DEMO_COST_MATRIX.fn - DEMO_COST_MATRIX.tp));
/** Slices the evaluation reports. */
export const DEMO_SLICES = Object.freeze(['region', 'plan']);
/** Bootstrap resamples of the intervals. */
export const DEMO_RESAMPLES = 1000;

/**
 * Step 9 (evaluate): evaluates both registered versions on the current period's training table (what production saw
 * after the drift date, never trained on): AUC and the other binary metrics with bootstrap intervals, slices by
 * region and plan, fairness by age band, and costs under the churn matrix at its threshold. Each evaluation writes
 * evaluation.json and a model card under `<home>/evaluation/churn/v<n>/`, and is attached to its registry version.
 */
export const evaluateModelsStep: DemoStep = Object.freeze({
  name: 'evaluate',
  title: 'evaluate both on the current period: CIs, slices, fairness, costs; attach the reports',
  async run(ctx: DemoContext) {
    const table = ctx.report.training?.tables.find((t) => t.period === 'current');
    if (table === undefined || ctx.report.models.some((m) => m.registry === null) || ctx.report.models.length === 0) {
      throw new LoomError('CORE_INTERNAL', { problem: 'the evaluate step needs the features, train and register steps before it' });
    }
    const data = `${table.dataset}@${table.version}`;
    const m = DEMO_COST_MATRIX;
    const setup: DemoEvaluationSetup = {
      data,
      slices: DEMO_SLICES,
      sensitive: DEMO_SENSITIVE,
      costMatrix: m,
      threshold: DEMO_THRESHOLD,
      why:
        `costs in retention offers: a missed churner ${m.fn} (fn), a contacted churner ${m.tp} (the offer, plus the half that leave anyway), ` +
        `a contacted stayer ${m.fp} (fp), a stayer left alone ${m.tn} (tn); an offer pays when p ≥ (fp − tn)/((fp − tn) + (fn − tp)) = ${fmt(DEMO_THRESHOLD, 2)}`,
      resamples: DEMO_RESAMPLES,
    };
    ctx.report.evaluationSetup = setup;
    const registry = await ModelRegistry.open(ctx.ws);
    const models = [];
    for (const model of ctx.report.models) {
      const { name, version } = model.registry!;
      const { report, outDir } = await evaluateModel(
        ctx.ws,
        {
          model: `${name}@${version}`,
          data,
          sensitive: [DEMO_SENSITIVE],
          slices: DEMO_SLICES.map(parseSliceOption),
          costMatrix: m,
          threshold: DEMO_THRESHOLD,
          bootstrap: { resamples: DEMO_RESAMPLES, seed: ctx.settings.seed },
          intendedUse: 'rank customers by churn risk within 30 days, to decide who gets a retention offer (loom demo, synthetic data)',
          limitations: [
            'trained on the reference period (before the drift date) and evaluated on the current one, which has a new region and shifted usage',
            `fairness is measured by age band, derived from age, which the model uses as a feature`,
          ],
        },
        ctx.progress(),
      );
      await registry.attachEvaluation(name, version, readEvaluationFile(join(outDir, 'evaluation.json')));
      models.push({ ...model, evaluation: summarize(report, outDir) });
    }
    ctx.report.models = models;
    ctx.report.files = [
      ...ctx.report.files,
      ...models.flatMap((x) => [
        { what: `model card, ${x.role} (churn@${x.registry!.version})`, path: x.evaluation.card },
        { what: `evaluation report, ${x.role}`, path: join(x.evaluation.outDir, 'evaluation.json') },
      ]),
    ];
  },
});

function summarize(report: EvaluationReport, outDir: string): DemoEvaluation {
  const costs = report.costs;
  if (costs === null) throw new LoomError('CORE_INTERNAL', { problem: 'the evaluation report has no cost figures' });
  const fairness = report.fairness.find((f) => f.sensitive === DEMO_SENSITIVE);
  const flagged = costs.default_confusion ? costs.default_confusion.fp + costs.default_confusion.tp : null;
  return {
    data: report.data.ref,
    rows: report.data.rows,
    auc: estimate(report.metrics.auc) ?? { value: Number.NaN, ci: null },
    prAuc: estimate(report.metrics.pr_auc),
    brier: estimate(report.metrics.brier),
    cost: { atThreshold: costs.default_expected_cost, optimalThreshold: costs.chosen_threshold, atOptimal: costs.chosen_expected_cost, flagged },
    fairness:
      fairness === undefined
        ? null
        : {
            sensitive: fairness.sensitive,
            groups: fairness.groups.map((g) => ({ group: g.group, rows: g.size, truePositiveRate: g.true_positive_rate ?? null, selectionRate: g.selection_rate })),
            equalOpportunityDifference: { value: fairness.equal_opportunity_difference, ci: fairness.intervals?.equal_opportunity_difference ?? null },
            demographicParityDifference: { value: fairness.demographic_parity_difference, ci: fairness.intervals?.demographic_parity_difference ?? null },
          },
    worstSlices: report.slices.slice(0, 3).map((s) => ({ name: s.name, rows: s.size, auc: s.metrics.auc?.value ?? null })),
    outDir,
    card: join(outDir, 'model-card.md'),
  };
}

function estimate(e: MetricEstimate | undefined): DemoEstimate | null {
  return e === undefined ? null : { value: e.value, ci: e.ci };
}

function fmt(x: number, digits: number): string {
  return x.toFixed(digits);
}
