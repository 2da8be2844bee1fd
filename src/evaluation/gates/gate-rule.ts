/**
 * The parsed form of a promotion gate: an immutable list of rules, each remembering its line and source text so a
 * failure can point at it. docs/registry.md ("Gate language") is the reference for the text form.
 */

/** Which evaluation report a reference reads. The challenger is the default when a reference names no side. */
export type GateSide = 'challenger' | 'champion';

/** The fairness figures a gate can read, by their report field names. */
export const FAIRNESS_MEASURES = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equal_opportunity_difference',
  'equalized_odds_difference',
  'equal_opportunity_ratio',
  'equalized_odds_ratio',
] as const;

export type FairnessMeasure = (typeof FAIRNESS_MEASURES)[number];

/** Short names accepted for the fairness measures. */
export const FAIRNESS_ALIASES: Readonly<Record<string, FairnessMeasure>> = {
  dp_diff: 'demographic_parity_difference',
  dp_ratio: 'demographic_parity_ratio',
  eo_diff: 'equal_opportunity_difference',
  eodds_diff: 'equalized_odds_difference',
  eo_ratio: 'equal_opportunity_ratio',
  eodds_ratio: 'equalized_odds_ratio',
};

/** What a reference reads from a report. */
export type GateTarget =
  | { readonly kind: 'metric'; readonly metric: string }
  /** `sensitive` null: every sensitive column of the challenger report, one check each. */
  | { readonly kind: 'fairness'; readonly sensitive: string | null; readonly measure: FairnessMeasure }
  /** Expected cost per row at the chosen (cost-minimizing) or the default threshold. */
  | { readonly kind: 'cost'; readonly at: 'chosen' | 'default' };

/** An arithmetic expression over numbers and report references. */
export type GateExpr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ref'; readonly side: GateSide; readonly target: GateTarget; readonly text: string }
  | { readonly kind: 'neg'; readonly operand: GateExpr }
  | { readonly kind: 'abs'; readonly operand: GateExpr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/'; readonly left: GateExpr; readonly right: GateExpr };

export type GateComparator = '>=' | '<=' | '>' | '<';

/**
 * How a confidence interval enters a rule. `lenient` (the default `(95% CI)`): the rule fails only when every value
 * in the challenger's interval breaks it. `strict` (`(95% CI, strict)`): it passes only when every value keeps it.
 * See docs/decisions/0004-gate-confidence.md.
 */
export interface GateConfidence {
  readonly level: number;
  readonly mode: 'lenient' | 'strict';
}

interface RuleBase {
  /** 1-based line of the gate file. */
  readonly line: number;
  /** The rule as written (trimmed, without its comment). */
  readonly text: string;
  readonly confidence: GateConfidence | null;
}

/** `left op right`, e.g. `auc >= champion.auc - 0.005 (95% CI)`. */
export interface CompareRule extends RuleBase {
  readonly kind: 'compare';
  readonly left: GateExpr;
  readonly op: GateComparator;
  readonly right: GateExpr;
}

/** `no slice worse by > 0.02 [on auc]`: every slice both reports share loses at most `by` of the metric. */
export interface SliceRule extends RuleBase {
  readonly kind: 'slice';
  readonly by: number;
  /** True for `by >= x` (a drop of exactly x fails too). */
  readonly inclusive: boolean;
  /** The metric, or null for the task's primary metric. */
  readonly metric: string | null;
}

/** A whole gate: its rules in file order. */
export interface Gate {
  readonly source: string;
  readonly rules: readonly GateRule[];
}

export type GateRule = CompareRule | SliceRule;
