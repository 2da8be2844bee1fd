/** Customer regions. `central` is a new market that opens with the drifted regime (weight 0 before it). */
export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
/** Subscription plans, cheapest first. */
export const PLANS = ['basic', 'standard', 'premium'] as const;
/** Contract lengths. */
export const CONTRACTS = ['monthly', 'annual', 'two_year'] as const;

/** Average month length in days (365.25 / 12), used for tenure. */
export const DAYS_PER_MONTH = 30.4375;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Parameters of the customer feature distributions in one regime. Indexed arrays follow REGIONS, PLANS and
 * CONTRACTS. Money is in the world's currency per month; rates are per day.
 */
export interface FeatureDistribution {
  readonly regionWeights: readonly number[];
  readonly planWeights: readonly number[];
  readonly contractWeights: readonly number[];
  /** Mean tenure by contract, in months (tenure is exponential). */
  readonly tenureMeanMonths: readonly number[];
  /** List price by plan; monthly charges are price × priceMultiplier + normal(0, addOnSd), at least minCharge. */
  readonly planPrice: readonly number[];
  readonly priceMultiplier: number;
  readonly addOnSd: number;
  readonly minCharge: number;
  /** Median sessions per day by plan; each customer's rate is that × logNormal(0, sessionRateSigma) × usageMultiplier. */
  readonly sessionsPerDay: readonly number[];
  readonly sessionRateSigma: number;
  readonly usageMultiplier: number;
  /** Median session length by plan, in minutes; a session's length is log-normal with sessionMinutesSigma. */
  readonly sessionMinutes: readonly number[];
  readonly sessionMinutesSigma: number;
  /** Median support tickets per 90 days; each customer's rate is that × logNormal(0, 0.6). */
  readonly ticketsPer90Days: number;
  readonly autopayShare: number;
  /** Mean late payments per 12 months, with and without autopay. */
  readonly latePaymentsAutopay: number;
  readonly latePaymentsManual: number;
  /** Age in years: normal(mean, sd), rounded and clipped to [18, 90]. */
  readonly ageMean: number;
  readonly ageSd: number;
}

const REFERENCE: FeatureDistribution = {
  regionWeights: [0.3, 0.25, 0.25, 0.2, 0],
  planWeights: [0.45, 0.35, 0.2],
  contractWeights: [0.55, 0.3, 0.15],
  tenureMeanMonths: [14, 30, 42],
  planPrice: [29.99, 59.99, 99.99],
  priceMultiplier: 1,
  addOnSd: 6,
  minCharge: 9.99,
  sessionsPerDay: [0.25, 0.4, 0.6],
  sessionRateSigma: 0.5,
  usageMultiplier: 1,
  sessionMinutes: [25, 35, 45],
  sessionMinutesSigma: 0.7,
  ticketsPer90Days: 0.8,
  autopayShare: 0.55,
  latePaymentsAutopay: 0.15,
  latePaymentsManual: 0.8,
  ageMean: 45,
  ageSd: 15,
};

/**
 * The drifted regime: a 15% price rise, a new `central` region, a shift toward the basic plan, 25% fewer sessions
 * and 60% more support tickets. Contracts, tenure, autopay and age are unchanged.
 */
const DRIFTED: FeatureDistribution = {
  ...REFERENCE,
  regionWeights: [0.22, 0.2, 0.2, 0.18, 0.2],
  planWeights: [0.55, 0.3, 0.15],
  priceMultiplier: 1.15,
  usageMultiplier: 0.75,
  ticketsPer90Days: 1.28,
};

/** Feature distributions by regime index (see REGIMES). */
export const FEATURE_DISTRIBUTIONS: readonly [FeatureDistribution, FeatureDistribution] = Object.freeze([
  Object.freeze(REFERENCE),
  Object.freeze(DRIFTED),
]) as readonly [FeatureDistribution, FeatureDistribution];
