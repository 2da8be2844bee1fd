import type { Guardrails } from '../strategies/guardrails.js';
import type { ArmWindow } from './arm-window.js';
import { scorePsi } from './score-psi.js';

/** A guardrail the challenger arm broke, with the observed figure and the limit. */
export interface GuardrailBreach {
  readonly guardrail: 'error_rate' | 'error_budget' | 'latency_p99' | 'prediction_drift';
  readonly observed: number;
  readonly limit: number;
  readonly samples: number;
}

/**
 * Checks a challenger arm's window against the guardrails (the stable arm's window is the drift reference):
 * - error budget: more than `error_rate.budget` failures breaches at once;
 * - error rate: failures / requests > `error_rate.max`, once `min_samples` requests arrived;
 * - latency p99 (nearest rank) > `latency_p99.max_ms`, once `min_samples` latencies were seen;
 * - prediction drift: PSI(stable scores → challenger scores) > `prediction_drift.max`, once both have `min_samples`.
 * Returns every breach (empty: healthy so far).
 */
export function checkGuardrails(guardrails: Guardrails, challenger: ArmWindow, stable: ArmWindow): GuardrailBreach[] {
  const breaches: GuardrailBreach[] = [];
  const er = guardrails.error_rate;
  if (er !== undefined) {
    if (challenger.failures > er.budget) breaches.push({ guardrail: 'error_budget', observed: challenger.failures, limit: er.budget, samples: challenger.requests });
    else if (challenger.requests >= er.min_samples && challenger.failures / challenger.requests > er.max) {
      breaches.push({ guardrail: 'error_rate', observed: challenger.failures / challenger.requests, limit: er.max, samples: challenger.requests });
    }
  }
  const lat = guardrails.latency_p99;
  if (lat !== undefined) {
    const sample = challenger.latencySample();
    if (sample.length >= lat.min_samples) {
      const p99 = nearestRank(sample.sort(), 0.99);
      if (p99 > lat.max_ms) breaches.push({ guardrail: 'latency_p99', observed: p99, limit: lat.max_ms, samples: sample.length });
    }
  }
  const drift = guardrails.prediction_drift;
  if (drift !== undefined) {
    const reference = stable.scoreSample();
    const scores = challenger.scoreSample();
    if (reference.length >= drift.min_samples && scores.length >= drift.min_samples) {
      const psi = scorePsi(reference, scores);
      if (psi > drift.max) breaches.push({ guardrail: 'prediction_drift', observed: psi, limit: drift.max, samples: scores.length });
    }
  }
  return breaches;
}

/** The nearest-rank quantile of sorted values: the ⌈q·n⌉-th smallest. */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
}
