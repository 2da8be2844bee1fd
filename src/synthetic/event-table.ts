/** Kinds of events in the world's event log, by code. */
export const EVENT_TYPES = ['session', 'support_ticket', 'invoice', 'payment', 'cancellation'] as const;

/** An event kind. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Event codes by name, for the generators. */
export const EVENT_CODE: Readonly<Record<EventType, number>> = Object.freeze({ session: 0, support_ticket: 1, invoice: 2, payment: 3, cancellation: 4 });

/**
 * The event log as parallel typed arrays, sorted by time (ties by customer, then by generation order). `customer`
 * indexes the CustomerTable; `type` indexes EVENT_TYPES; times are epoch ms (UTC, whole seconds). `amount` (money,
 * invoices and payments) and `minutes` (sessions) are NaN where they do not apply. The arrays are owned by the table.
 */
export interface EventTable {
  readonly length: number;
  readonly customer: Int32Array;
  readonly at: Float64Array;
  readonly type: Uint8Array;
  readonly amount: Float64Array;
  readonly minutes: Float64Array;
}

/**
 * Collects events into growable typed arrays (capacity doubles, so pushing allocates nothing per event), then
 * sorts them once into an EventTable.
 */
export class EventTableBuilder {
  #length = 0;
  #customer = new Int32Array(1024);
  #at = new Float64Array(1024);
  #type = new Uint8Array(1024);
  #amount = new Float64Array(1024);
  #minutes = new Float64Array(1024);

  /** Events pushed so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends one event. `at` is rounded down to whole seconds. */
  push(customer: number, at: number, type: number, amount = Number.NaN, minutes = Number.NaN): void {
    if (this.#length === this.#at.length) this.#grow();
    const k = this.#length++;
    this.#customer[k] = customer;
    this.#at[k] = Math.floor(at / 1000) * 1000;
    this.#type[k] = type;
    this.#amount[k] = amount;
    this.#minutes[k] = minutes;
  }

  /** The events sorted by (time, customer, push order), in freshly allocated arrays of exactly `length` entries. */
  build(): EventTable {
    const n = this.#length;
    const at = this.#at;
    const customer = this.#customer;
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => at[a] - at[b] || customer[a] - customer[b] || a - b);
    const out = { length: n, customer: new Int32Array(n), at: new Float64Array(n), type: new Uint8Array(n), amount: new Float64Array(n), minutes: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      const src = order[k];
      out.customer[k] = customer[src];
      out.at[k] = at[src];
      out.type[k] = this.#type[src];
      out.amount[k] = this.#amount[src];
      out.minutes[k] = this.#minutes[src];
    }
    return out;
  }

  #grow(): void {
    const size = this.#at.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.#customer = grow(this.#customer, new Int32Array(size));
    this.#at = grow(this.#at, new Float64Array(size));
    this.#type = grow(this.#type, new Uint8Array(size));
    this.#amount = grow(this.#amount, new Float64Array(size));
    this.#minutes = grow(this.#minutes, new Float64Array(size));
  }
}
