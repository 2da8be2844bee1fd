import { scorePsi } from '../control/score-psi.js';
import type { Deployment, DeploymentEvent } from '../deployment.js';
import type { DeploymentStore, JoinedAssignment } from '../store/deployment-store.js';
import { DeploymentStrategy } from '../strategies/deployment-strategy.js';
import type { Guardrails } from '../strategies/guardrails.js';
import { analyseAb, type AbAnalysis } from './ab-analysis.js';
import { summarizeArms, type ArmSummary } from './arm-summary.js';
import { analyseBandit, analyseInterleaving, analyseShadow, type BanditArmAnalysis, type InterleavingAnalysis, type ShadowAnalysis } from './strategy-analyses.js';
import { experimentVerdict } from './experiment-verdict.js';
import { outcomeFit, type OutcomeFit } from './outcome-fit.js';

/** One guardrail of a challenger arm over the whole deployment. */
export interface GuardrailStatus {
  readonly arm: string;
  readonly guardrail: 'error_rate' | 'latency_p99' | 'prediction_drift';
  readonly observed: number | null;
  readonly limit: number;
  readonly ok: boolean;
}

/** Everything known about a deployment's experiment. JSON-serializable. */
export interface ExperimentReport {
  readonly deployment: Pick<Deployment, 'id' | 'model' | 'state' | 'step' | 'arms' | 'finalArm' | 'createdAt' | 'createdBy'> & { readonly strategy: DeploymentStrategy; readonly percent: number | null };
  /** Epoch ms. */
  readonly generatedAt: number;
  readonly arms: readonly ArmSummary[];
  readonly guardrails: readonly GuardrailStatus[];
  readonly ab: AbAnalysis | null;
  readonly shadow: ShadowAnalysis | null;
  readonly bandit: readonly BanditArmAnalysis[] | null;
  readonly interleaving: InterleavingAnalysis | null;
  /** Per-arm fit of served scores to a delayed binary outcome (when the report was asked for one), else null. */
  readonly outcomes: readonly OutcomeFit[] | null;
  readonly events: readonly DeploymentEvent[];
  /** A plain-language conclusion, e.g. "B is better by +1.2 pp (95% CI …); safe to promote". */
  readonly verdict: string;
}

/**
 * The experiment report of a deployment: its assignments joined with their outcomes (by request id), per-arm
 * counts, latencies and scores, guardrail status, and the strategy's analysis (A/B tests with always-valid p-values,
 * SRM and sample size; shadow agreement; bandit posteriors and IPS; interleaving credit), ending in a verdict.
 * `options.outcome` adds each arm's fit (Brier score, log loss) to a delayed binary outcome, e.g. true churn labels.
 *
 * @example
 * const report = await experimentReport(store, await store.find('churn'));
 * console.log(report.verdict); // "B is better by +1.2 pp (95% CI +0.4 to +2.0 pp; always-valid p = 0.003); safe to promote"
 */
export async function experimentReport(store: DeploymentStore, deployment: Deployment, now: number = Date.now(), options: { outcome?: string } = {}): Promise<ExperimentReport> {
  const spec = deployment.strategy;
  const outcome = spec.kind === 'ab' ? spec.metric.outcome : spec.kind === 'bandit' ? spec.reward : spec.kind === 'interleaving' ? spec.click : '';
  const rows = await store.joined(deployment.id, outcome);
  const arms = summarizeArms(deployment, rows);
  const guardrails = spec.kind === 'canary' || spec.kind === 'ab' ? guardrailStatus(deployment, spec.guardrails, arms, rows) : [];
  const ab = spec.kind === 'ab' ? analyseAb({ ...deployment, strategy: spec }, rows) : null;
  const shadow = spec.kind === 'shadow' ? analyseShadow(deployment, rows) : null;
  const bandit = spec.kind === 'bandit' ? analyseBandit({ ...deployment, strategy: spec }, rows) : null;
  const interleaving = spec.kind === 'interleaving' ? analyseInterleaving(deployment, rows, 0.05) : null;
  const outcomes = options.outcome === undefined ? null : outcomeFit(deployment, options.outcome === outcome ? rows : await store.joined(deployment.id, options.outcome), options.outcome);
  const events = await store.events(deployment.id);
  const percent = DeploymentStrategy.is(spec, 'canary') ? spec.steps[Math.min(deployment.step, spec.steps.length - 1)] : null;
  const partial = { deployment: { id: deployment.id, model: deployment.model, strategy: spec, state: deployment.state, step: deployment.step, percent, arms: deployment.arms, finalArm: deployment.finalArm, createdAt: deployment.createdAt, createdBy: deployment.createdBy }, generatedAt: now, arms, guardrails, ab, shadow, bandit, interleaving, outcomes, events };
  return { ...partial, verdict: experimentVerdict(partial) };
}

/** Each challenger arm's guardrails over the deployment's whole life (the controller judges per step). */
function guardrailStatus(deployment: Deployment, g: Guardrails, arms: readonly ArmSummary[], rows: readonly JoinedAssignment[]): GuardrailStatus[] {
  const out: GuardrailStatus[] = [];
  const stable = deployment.arms[0].name;
  const stableScores = rows.filter((r) => r.arm === stable && r.score !== null).map((r) => r.score!);
  for (const arm of arms.slice(1)) {
    if (g.error_rate !== undefined) {
      const rate = arm.requests === 0 ? null : arm.failures / arm.requests;
      out.push({ arm: arm.name, guardrail: 'error_rate', observed: rate, limit: g.error_rate.max, ok: arm.failures <= g.error_rate.budget && (rate === null || arm.requests < g.error_rate.min_samples || rate <= g.error_rate.max) });
    }
    if (g.latency_p99 !== undefined) out.push({ arm: arm.name, guardrail: 'latency_p99', observed: arm.latencyP99Ms, limit: g.latency_p99.max_ms, ok: arm.latencyP99Ms === null || arm.requests < g.latency_p99.min_samples || arm.latencyP99Ms <= g.latency_p99.max_ms });
    if (g.prediction_drift !== undefined) {
      const scores = rows.filter((r) => r.arm === arm.name && r.score !== null && r.served).map((r) => r.score!);
      const enough = scores.length >= g.prediction_drift.min_samples && stableScores.length >= g.prediction_drift.min_samples;
      const psi = enough ? scorePsi(stableScores, scores) : null;
      out.push({ arm: arm.name, guardrail: 'prediction_drift', observed: psi, limit: g.prediction_drift.max, ok: psi === null || psi <= g.prediction_drift.max });
    }
  }
  return out;
}
