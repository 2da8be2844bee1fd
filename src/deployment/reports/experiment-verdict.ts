import type { ExperimentReport } from './experiment-report.js';
import type { ArmComparison } from './ab-analysis.js';

/**
 * The plain-language conclusion of a report. A/B decisions use the always-valid (mSPRT) test, so reading the report
 * every day does not inflate false positives; the fixed-horizon test is shown beside it in the tables.
 * @internal
 */
export function experimentVerdict(r: Omit<ExperimentReport, 'verdict'>): string {
  const d = r.deployment;
  const version = (name: string | null) => {
    const arm = d.arms.find((a) => a.name === name);
    return arm === undefined ? String(name) : `${arm.name} (v${arm.version})`;
  };
  const last = (action: string) => [...r.events].reverse().find((e) => e.action === action);
  if (d.state === 'rolled_back') {
    const e = last('rollback');
    return `Rolled back: all traffic goes to ${version(d.finalArm)}${e === undefined ? '' : ` since ${new Date(e.createdAt).toISOString()} (${e.reason ?? 'by hand'}, by ${e.actor})`}.`;
  }
  if (d.state === 'promoted') {
    const e = last('promote');
    return `Promoted: all traffic goes to ${version(d.finalArm)}${e === undefined ? '' : ` (${e.reason ?? 'by hand'}, by ${e.actor})`}.`;
  }
  if (d.state === 'replaced') return 'Replaced by a newer deployment of the model; these figures are final.';
  const breached = r.guardrails.filter((g) => !g.ok);
  const guardText = breached.length === 0 ? 'guardrails hold' : `guardrail${breached.length > 1 ? 's' : ''} breached: ${breached.map((g) => `${g.arm} ${g.guardrail} ${fmt(g.observed)} > ${fmt(g.limit)}`).join(', ')}`;
  switch (d.strategy.kind) {
    case 'canary': {
      const canary = r.arms[1];
      return `Canary at step ${d.step + 1} of ${d.strategy.steps.length} (${d.percent}% of units): ${canary.requests} canary requests, ${canary.failures} failed, ${canary.fallbacks === 0 ? '' : `${canary.fallbacks} answered by stable instead, `}${guardText}.`;
    }
    case 'ab':
      return abVerdict(r, breached.length === 0 ? null : guardText);
    case 'shadow': {
      const s = r.shadow!;
      if (s.rows === 0) return `No shadow comparisons yet (${s.failures} shadow failures); send traffic to compare.`;
      return `Shadow agreed with primary on ${pct(s.agreementRate!)} of ${s.rows} rows over ${s.requests} requests (mean |Δscore| ${fmt(s.meanAbsDelta)}); ${s.failures} shadow failures.`;
    }
    case 'bandit': {
      const arms = [...r.bandit!].sort((a, b) => b.posteriorMean - a.posteriorMean);
      const best = arms[0];
      return `${version(best.arm)} leads: posterior mean reward ${fmt(best.posteriorMean)} over ${best.pulls} pulls (${arms.slice(1).map((a) => `${a.arm} ${fmt(a.posteriorMean)} over ${a.pulls}`).join(', ')}).`;
    }
    case 'interleaving': {
      const i = r.interleaving!;
      if (i.clicked === 0) return `No clicked impressions yet (${i.impressions} served); post clicks to /v1/feedback with value = clicked positions.`;
      if (i.preferred === 'none') return `No preference yet: A won ${i.winsA}, B won ${i.winsB}, ${i.ties} ties over ${i.clicked} clicked impressions (Δ = ${signed(i.delta)}, sign test p = ${fmt(i.pValue)}); keep collecting.`;
      return `${i.preferred === 'B' ? version(d.arms[1].name) : version(d.arms[0].name)} ranks better: Δ = ${signed(i.delta)} over ${i.clicked} clicked impressions (A ${i.winsA}, B ${i.winsB}, ties ${i.ties}; sign test p = ${fmt(i.pValue)}).`;
    }
    default: {
      const arm = r.arms[0];
      return `${version(arm.name)} answers all traffic: ${arm.requests} requests, ${arm.failures} failed.`;
    }
  }
}

function abVerdict(r: Omit<ExperimentReport, 'verdict'>, guardBreach: string | null): string {
  const ab = r.ab!;
  if (ab.srm !== null && ab.srm.mismatch) return `Sample ratio mismatch (χ² = ${fmt(ab.srm.chiSquare)}, p = ${fmt(ab.srm.pValue)}): the split of units does not match the configured weights, so the comparison is not trustworthy; fix the assignment before reading the results.`;
  if (ab.comparisons.length === 0) return `Not enough data yet: ${ab.arms.map((a) => `${a.arm} ${a.units} units`).join(', ')}; keep collecting.`;
  const proportion = ab.metric.kind === 'proportion';
  const effect = (c: ArmComparison, x: number) => (proportion ? `${signed(x * 100, 2)} pp` : signed(x));
  const ci = (c: ArmComparison) => `${Math.round(c.sequential.ci.level * 100)}% CI ${effect(c, c.sequential.ci.low)} to ${effect(c, c.sequential.ci.high)}; always-valid p = ${fmt(c.sequential.pValue)}`;
  const winners = ab.comparisons.filter((c) => c.sequential.significant && c.difference > 0).sort((a, b) => b.difference - a.difference);
  if (winners.length > 0) {
    const c = winners[0];
    const tail = guardBreach === null ? 'safe to promote' : `but ${guardBreach}; do not promote`;
    return `${c.treatment} is better by ${effect(c, c.difference)} (${ci(c)}); ${tail}.`;
  }
  const losers = ab.comparisons.filter((c) => c.sequential.significant && c.difference < 0);
  if (losers.length === ab.comparisons.length) {
    const c = losers[0];
    return `${c.treatment} is worse by ${effect(c, c.difference)} (${ci(c)}); keep ${c.control}.`;
  }
  const open = ab.comparisons.filter((c) => !c.sequential.significant);
  const more = Math.max(0, ...open.map((c) => c.sampleSize?.moreUnitsPerArm ?? 0));
  const c = open[0];
  const collect = more > 0 ? `keep collecting: ~${more} more units per arm (to detect ${effect(c, open[0].sampleSize!.mde).replace('+', '')} at ${Math.round((1 - ab.alpha) * 100)}% confidence)` : 'keep collecting';
  return `No significant difference yet (${c.treatment} − ${c.control} = ${effect(c, c.difference)}, ${ci(c)}); ${collect}${guardBreach === null ? '' : `; ${guardBreach}`}.`;
}

function fmt(x: number | null): string {
  if (x === null) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 0.001 ? x.toFixed(Math.abs(x) >= 10 ? 1 : 3) : x.toExponential(2);
}

function signed(x: number, digits = 3): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
