import type { ActivityFeatures } from './aggregate-activity.js';
import type { CustomerTable } from './generate-customers.js';

/**
 * Coefficients of the true churn function, a logistic model of the customer features:
 *
 * logit = intercept + contract[c] + plan[p] + region[r] + logTenure·ln(1 + tenure_months)
 *       + charges·(monthly_charges − 60)/30 + tickets·support_tickets_90d + logUsage·(ln(1 + usage_hours_30d) − 2)
 *       + latePayments·late_payments_12m + autopay·autopay + senior·[age ≥ 65]
 *
 * P(churn within the horizon) = 1 / (1 + e^−logit). Indexed arrays follow CONTRACTS, PLANS and REGIONS.
 */
export interface ChurnCoefficients {
  readonly intercept: number;
  readonly contract: readonly number[];
  readonly plan: readonly number[];
  readonly region: readonly number[];
  readonly logTenure: number;
  readonly charges: number;
  readonly tickets: number;
  readonly logUsage: number;
  readonly latePayments: number;
  readonly autopay: number;
  readonly senior: number;
}

const REFERENCE: ChurnCoefficients = {
  intercept: -1.45,
  contract: [0.9, 0, -1.1],
  plan: [0.15, 0, -0.15],
  region: [0, 0.1, 0, -0.1, 0.3],
  logTenure: -0.45,
  charges: 0.6,
  tickets: 0.4,
  logUsage: -0.6,
  latePayments: 0.25,
  autopay: -0.35,
  senior: 0.2,
};

/** The drifted churn function: customers become twice as price-sensitive and less patient with support. */
const DRIFTED: ChurnCoefficients = { ...REFERENCE, intercept: REFERENCE.intercept, charges: 1.2, tickets: 0.65 };

/** True churn coefficients by regime index (0 reference, 1 drifted; see REGIMES). */
export const CHURN_COEFFICIENTS: readonly [ChurnCoefficients, ChurnCoefficients] = Object.freeze([
  Object.freeze(REFERENCE),
  Object.freeze(DRIFTED),
]) as readonly [ChurnCoefficients, ChurnCoefficients];

/**
 * Writes each customer's true churn logit into `out` (length = customers.length, owned by the caller), using the
 * coefficients of `regime[i]`. Reads the true feature values, before any cell is blanked for the dirty file.
 */
export function churnLogits(customers: CustomerTable, activity: ActivityFeatures, regime: Uint8Array, out: Float64Array): Float64Array {
  for (let i = 0; i < customers.length; i++) {
    const b = CHURN_COEFFICIENTS[regime[i]];
    out[i] =
      b.intercept +
      b.contract[customers.contract[i]] +
      b.plan[customers.plan[i]] +
      b.region[customers.region[i]] +
      b.logTenure * Math.log1p(customers.tenureMonths[i]) +
      (b.charges * (customers.monthlyCharges[i] - 60)) / 30 +
      b.tickets * activity.supportTickets90d[i] +
      b.logUsage * (Math.log1p(activity.usageHours30d[i]) - 2) +
      b.latePayments * customers.latePayments12m[i] +
      b.autopay * customers.autopay[i] +
      (customers.age[i] >= 65 ? b.senior : 0);
  }
  return out;
}

/** The logistic function 1 / (1 + e^−z), stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
