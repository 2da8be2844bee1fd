import type { Random } from '../core/random.js';
import type { ChurnWorldConfig } from './churn-world-config.js';
import { DAY_MS } from './customer-distributions.js';
import { EVENT_CODE, type EventTableBuilder } from './event-table.js';
import type { CustomerTable } from './generate-customers.js';
import type { LabelTable } from './generate-labels.js';
import { logNormal, poisson, uniform } from './random-variates.js';
import { streamRandom } from './stream-random.js';

/** Days of history before each observation date that get events. Covers the widest activity window (90 days). */
export const HISTORY_DAYS = 90;

/** Session and ticket rates of a customer who will churn, relative to before, between observation and cancellation. */
const CHURNER_SESSION_FACTOR = 0.4;
const CHURNER_TICKET_FACTOR = 1.5;

/**
 * Pushes each customer's events in [max(signup, observed − HISTORY_DAYS), observed) from the `events-history`
 * stream: sessions (Poisson at the customer's rate, uniform times, log-normal minutes), support tickets, and an
 * invoice on every monthly signup anniversary with its payment (autopay within hours, manual within 10 days, late
 * ones 16–45 days after). A payment belongs to its invoice, so it may fall after the observation date.
 */
export function generateHistoryEvents(customers: CustomerTable, config: ChurnWorldConfig, builder: EventTableBuilder): void {
  const rng = streamRandom(config.seed, 'events-history');
  for (let i = 0; i < customers.length; i++) {
    const to = customers.observedAt[i];
    const from = Math.max(customers.signupAt[i], to - HISTORY_DAYS * DAY_MS);
    activity(rng, customers, i, from, to, 1, 1, builder);
    billing(rng, customers, i, from, to, builder);
  }
}

/**
 * Pushes each customer's events in [observed, end) from the `events-future` stream, where end is the cancellation
 * for churners (who also get a `cancellation` event then, and use the product less and complain more before it)
 * and observed + horizon for everyone else. These events lie after the features' cut-off: a feature pipeline that
 * reads them leaks the label, which is what point-in-time joins exist to prevent.
 */
export function generateFutureEvents(customers: CustomerTable, labels: LabelTable, config: ChurnWorldConfig, builder: EventTableBuilder): void {
  const rng = streamRandom(config.seed, 'events-future');
  for (let i = 0; i < customers.length; i++) {
    const from = customers.observedAt[i];
    const churned = labels.churned[i] === 1;
    const to = churned ? labels.churnAt[i] : from + config.horizonDays * DAY_MS;
    activity(rng, customers, i, from, to, churned ? CHURNER_SESSION_FACTOR : 1, churned ? CHURNER_TICKET_FACTOR : 1, builder);
    billing(rng, customers, i, from, to, builder);
    if (churned) builder.push(i, to, EVENT_CODE.cancellation);
  }
}

function activity(rng: Random, c: CustomerTable, i: number, from: number, to: number, sessionFactor: number, ticketFactor: number, out: EventTableBuilder): void {
  const days = (to - from) / DAY_MS;
  if (!(days > 0)) return;
  const sessions = poisson(rng, c.sessionsPerDay[i] * sessionFactor * days);
  const mu = Math.log(c.sessionMinutesMedian[i]);
  for (let k = 0; k < sessions; k++) {
    const minutes = Math.max(0.5, Math.round(logNormal(rng, mu, 0.7) * 10) / 10);
    out.push(i, uniform(rng, from, to), EVENT_CODE.session, Number.NaN, minutes);
  }
  const tickets = poisson(rng, c.ticketsPerDay[i] * ticketFactor * days);
  for (let k = 0; k < tickets; k++) out.push(i, uniform(rng, from, to), EVENT_CODE.support_ticket);
}

function billing(rng: Random, c: CustomerTable, i: number, from: number, to: number, out: EventTableBuilder): void {
  const signup = new Date(c.signupAt[i]);
  const y = signup.getUTCFullYear();
  const m = signup.getUTCMonth();
  const d = Math.min(signup.getUTCDate(), 28);
  const h = signup.getUTCHours();
  const latePerInvoice = Math.min(0.9, c.latePayments12m[i] / 12);
  const amount = c.monthlyCharges[i];
  // Start a little before `from` so the first anniversary in the window is never skipped.
  let k = Math.max(0, Math.floor((from - c.signupAt[i]) / (31 * DAY_MS)) - 1);
  for (;;) {
    const invoiceAt = Date.UTC(y, m + k, d, h);
    k++;
    if (invoiceAt < from) continue;
    if (invoiceAt >= to) break;
    out.push(i, invoiceAt, EVENT_CODE.invoice, amount);
    const delayDays = c.autopay[i] === 1 ? uniform(rng, 0.02, 0.125) : rng.nextFloat() < latePerInvoice ? uniform(rng, 16, 45) : uniform(rng, 0, 10);
    out.push(i, invoiceAt + delayDays * DAY_MS, EVENT_CODE.payment, amount);
  }
}
