import type { ChurnWorldConfig } from './churn-world-config.js';
import { DAY_MS, DAYS_PER_MONTH, FEATURE_DISTRIBUTIONS } from './customer-distributions.js';
import { DriftSwitch } from './drift-switch.js';
import { bernoulli, cumulativeWeights, exponential, logNormal, normal, pickWeighted, poisson } from './random-variates.js';
import { streamRandom } from './stream-random.js';

/** Longest tenure drawn, in months. */
export const MAX_TENURE_MONTHS = 96;

/**
 * The customers of a world, one entry per customer in every array, ordered by observation time. Times are epoch ms
 * (UTC, whole seconds). Categorical columns hold indices into REGIONS, PLANS and CONTRACTS. The behaviour rates at
 * the end drive the event generator and are not written to any file. The arrays are owned by the table.
 */
export interface CustomerTable {
  readonly length: number;
  /** `C000001`, `C000002`, … in observation order. */
  readonly id: readonly string[];
  /** A unique address at a reserved example domain (PII on purpose). */
  readonly email: readonly string[];
  /** The instant the customer's features are taken and their churn horizon starts. Ascending. */
  readonly observedAt: Float64Array;
  readonly signupAt: Float64Array;
  /** 0 when observed before the drift switch, 1 from it on. */
  readonly period: Uint8Array;
  /** Index of the feature distribution used (0 reference, 1 drifted); 1 only with covariate drift. */
  readonly featureRegime: Uint8Array;
  readonly region: Uint8Array;
  readonly plan: Uint8Array;
  readonly contract: Uint8Array;
  /** Whole months between signup and observation. */
  readonly tenureMonths: Int32Array;
  /** Rounded to cents. */
  readonly monthlyCharges: Float64Array;
  /** Rounded to cents: about monthlyCharges × (tenureMonths + 1). */
  readonly totalCharges: Float64Array;
  /** 0/1. */
  readonly autopay: Uint8Array;
  readonly age: Int32Array;
  readonly latePayments12m: Int32Array;
  /** Behaviour: expected sessions per day, median session minutes, expected support tickets per day. */
  readonly sessionsPerDay: Float64Array;
  readonly sessionMinutesMedian: Float64Array;
  readonly ticketsPerDay: Float64Array;
}

const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'goran', 'hana', 'ivan', 'jo', 'kofi', 'lea', 'mateo', 'nia', 'omar', 'priya', 'quinn', 'rosa', 'sami', 'tomas'];
const LAST_NAMES = ['adeyemi', 'berg', 'costa', 'dubois', 'evans', 'fischer', 'garcia', 'haddad', 'ito', 'jensen', 'kowalski', 'lopez', 'moreau', 'novak', 'okafor', 'park', 'rossi', 'silva', 'tanaka', 'weber'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];

/**
 * Draws the customers of a world from the `customers` stream: observation times uniform over [start, end), then
 * per customer region, plan, contract, tenure, charges, autopay, age, late payments and behaviour rates from the
 * feature distribution of their regime (see FEATURE_DISTRIBUTIONS and DriftSwitch). Activity features (sessions,
 * usage, tickets) are not drawn here: they are counted from the generated events (aggregateActivity).
 */
export function generateCustomers(config: ChurnWorldConfig): CustomerTable {
  const n = config.customers;
  const rng = streamRandom(config.seed, 'customers');
  const sw = DriftSwitch.fromConfig(config);
  const start = Date.parse(config.start);
  const span = Date.parse(config.end) - start;
  const observedAt = new Float64Array(n);
  for (let i = 0; i < n; i++) observedAt[i] = Math.floor((start + rng.nextFloat() * span) / 1000) * 1000;
  observedAt.sort();
  const cumulative = FEATURE_DISTRIBUTIONS.map((d) => ({
    region: cumulativeWeights(d.regionWeights),
    plan: cumulativeWeights(d.planWeights),
    contract: cumulativeWeights(d.contractWeights),
  }));
  const t = {
    length: n,
    id: new Array<string>(n),
    email: new Array<string>(n),
    observedAt,
    signupAt: new Float64Array(n),
    period: new Uint8Array(n),
    featureRegime: new Uint8Array(n),
    region: new Uint8Array(n),
    plan: new Uint8Array(n),
    contract: new Uint8Array(n),
    tenureMonths: new Int32Array(n),
    monthlyCharges: new Float64Array(n),
    totalCharges: new Float64Array(n),
    autopay: new Uint8Array(n),
    age: new Int32Array(n),
    latePayments12m: new Int32Array(n),
    sessionsPerDay: new Float64Array(n),
    sessionMinutesMedian: new Float64Array(n),
    ticketsPerDay: new Float64Array(n),
  };
  const monthMs = DAYS_PER_MONTH * DAY_MS;
  for (let i = 0; i < n; i++) {
    const obs = observedAt[i];
    const r = DriftSwitch.featureRegime(sw, obs);
    const d = FEATURE_DISTRIBUTIONS[r];
    t.period[i] = DriftSwitch.period(sw, obs);
    t.featureRegime[i] = r;
    const number = String(i + 1).padStart(6, '0');
    t.id[i] = `C${number}`;
    t.email[i] = `${FIRST_NAMES[rng.nextInt(FIRST_NAMES.length)]}.${LAST_NAMES[rng.nextInt(LAST_NAMES.length)]}.${number}@${DOMAINS[rng.nextInt(DOMAINS.length)]}`;
    const region = pickWeighted(rng, cumulative[r].region);
    const plan = pickWeighted(rng, cumulative[r].plan);
    const contract = pickWeighted(rng, cumulative[r].contract);
    t.region[i] = region;
    t.plan[i] = plan;
    t.contract[i] = contract;
    const tenureMs = Math.min(exponential(rng, d.tenureMeanMonths[contract]), MAX_TENURE_MONTHS) * monthMs;
    t.signupAt[i] = Math.floor((obs - tenureMs) / 1000) * 1000;
    const tenure = Math.floor((obs - t.signupAt[i]) / monthMs);
    t.tenureMonths[i] = tenure;
    const charge = Math.max(d.minCharge, d.planPrice[plan] * d.priceMultiplier + normal(rng, 0, d.addOnSd));
    t.monthlyCharges[i] = cents(charge);
    t.totalCharges[i] = cents(t.monthlyCharges[i] * (tenure + 1) * (1 + normal(rng, 0, 0.03)));
    const autopay = bernoulli(rng, d.autopayShare);
    t.autopay[i] = autopay ? 1 : 0;
    t.age[i] = Math.min(90, Math.max(18, Math.round(normal(rng, d.ageMean, d.ageSd))));
    t.latePayments12m[i] = poisson(rng, autopay ? d.latePaymentsAutopay : d.latePaymentsManual);
    t.sessionsPerDay[i] = d.sessionsPerDay[plan] * logNormal(rng, 0, d.sessionRateSigma) * d.usageMultiplier;
    t.sessionMinutesMedian[i] = d.sessionMinutes[plan] * logNormal(rng, 0, 0.3);
    t.ticketsPerDay[i] = (d.ticketsPer90Days / 90) * logNormal(rng, 0, 0.6);
  }
  return t;
}

/** Rounds money to cents; the small nudge keeps binary noise (x.xx4999…) from rounding down. */
function cents(x: number): number {
  return Math.round(x * 100 + 1e-9 * Math.sign(x)) / 100;
}
