import { DAY_MS } from './customer-distributions.js';
import { EVENT_CODE, type EventTable } from './event-table.js';
import type { CustomerTable } from './generate-customers.js';

/** Length of the session window, in days. */
export const SESSION_WINDOW_DAYS = 30;
/** Length of the support-ticket window, in days. */
export const TICKET_WINDOW_DAYS = 90;

/**
 * Activity features of each customer, counted from the event log as of their observation date. One entry per
 * customer; the arrays are owned by the caller.
 */
export interface ActivityFeatures {
  /** Sessions in [observed − 30 days, observed). */
  readonly logins30d: Int32Array;
  /** Total session minutes in the same window ÷ 60, rounded to 2 decimals. */
  readonly usageHours30d: Float64Array;
  /** Support tickets in [observed − 90 days, observed). */
  readonly supportTickets90d: Int32Array;
}

/**
 * Counts the activity features point-in-time: only events strictly before each customer's observation date count,
 * so the customer table holds exactly what a correct feature pipeline over the event log would compute. One pass
 * over the events; nothing is allocated per event.
 */
export function aggregateActivity(customers: CustomerTable, events: EventTable): ActivityFeatures {
  const n = customers.length;
  const logins30d = new Int32Array(n);
  const minutes = new Float64Array(n);
  const supportTickets90d = new Int32Array(n);
  const sessionWindow = SESSION_WINDOW_DAYS * DAY_MS;
  const ticketWindow = TICKET_WINDOW_DAYS * DAY_MS;
  for (let k = 0; k < events.length; k++) {
    const i = events.customer[k];
    const age = customers.observedAt[i] - events.at[k];
    if (!(age > 0)) continue;
    const type = events.type[k];
    if (type === EVENT_CODE.session && age <= sessionWindow) {
      logins30d[i]++;
      minutes[i] += events.minutes[k];
    } else if (type === EVENT_CODE.support_ticket && age <= ticketWindow) {
      supportTickets90d[i]++;
    }
  }
  const usageHours30d = new Float64Array(n);
  for (let i = 0; i < n; i++) usageHours30d[i] = Math.round((minutes[i] / 60) * 100) / 100;
  return { logins30d, usageHours30d, supportTickets90d };
}
