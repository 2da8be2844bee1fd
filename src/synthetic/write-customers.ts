import { fixedText, timestampText } from './cell-text.js';
import { CONTRACTS, PLANS, REGIONS } from './customer-distributions.js';
import type { ChurnWorld } from './generate-churn-world.js';
import { LineFileWriter } from './line-file-writer.js';

/** Columns of customers.csv, in file order. */
export const CUSTOMER_COLUMNS = [
  'customer_id',
  'email',
  'signup_at',
  'observed_at',
  'region',
  'plan',
  'contract',
  'tenure_months',
  'monthly_charges',
  'total_charges',
  'autopay',
  'age',
  'late_payments_12m',
  'logins_30d',
  'usage_hours_30d',
  'support_tickets_90d',
] as const;

/**
 * Writes customers.csv: one row per customer, the features as of `observed_at`, dirty cells included (blank
 * region/age/monthly_charges, padded plan). No label and no true probability: those live in labels.jsonl and
 * ground-truth.csv. Returns the data row count.
 */
export function writeCustomers(world: ChurnWorld, path: string): number {
  const { customers: c, activity: a, dirty } = world;
  const out = new LineFileWriter(path, CUSTOMER_COLUMNS.join(','));
  for (let i = 0; i < c.length; i++) {
    const plan = dirty.planPadded[i] === 1 ? ` ${PLANS[c.plan[i]]} ` : PLANS[c.plan[i]];
    out.line(
      [
        c.id[i],
        c.email[i],
        timestampText(c.signupAt[i]),
        timestampText(c.observedAt[i]),
        dirty.regionNull[i] === 1 ? '' : REGIONS[c.region[i]],
        plan,
        CONTRACTS[c.contract[i]],
        c.tenureMonths[i],
        dirty.monthlyChargesNull[i] === 1 ? '' : fixedText(c.monthlyCharges[i], 2),
        fixedText(c.totalCharges[i], 2),
        c.autopay[i] === 1 ? 'true' : 'false',
        dirty.ageNull[i] === 1 ? '' : c.age[i],
        c.latePayments12m[i],
        a.logins30d[i],
        fixedText(a.usageHours30d[i], 2),
        a.supportTickets90d[i],
      ].join(','),
    );
  }
  out.close();
  return out.rows;
}
