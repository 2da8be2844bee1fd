export { parseGate } from './parse-gate.js';
export { evaluateGate, gateUsesChampion } from './evaluate-gate.js';
export type { GateCheck, GateReports, GateResult, GateRuleOutcome } from './evaluate-gate.js';
export { FAIRNESS_ALIASES, FAIRNESS_MEASURES } from './gate-rule.js';
export type { CompareRule, FairnessMeasure, Gate, GateComparator, GateConfidence, GateExpr, GateRule, GateSide, GateTarget, SliceRule } from './gate-rule.js';
export { higherIsBetter, PRIMARY_METRIC } from './metric-direction.js';
export { normalQuantile } from './normal-quantile.js';
