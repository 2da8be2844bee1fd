import { randomBytes } from 'node:crypto';

/**
 * A new run id: 32 lowercase hex characters laid out like a UUIDv7 without dashes, a 48-bit millisecond timestamp
 * followed by 80 random bits. Ids are unique across processes and machines, and sort by creation time.
 */
export function newRunId(now: number = Date.now()): string {
  return now.toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
}

/** A new experiment id: 16 random hex characters. */
export function newExperimentId(): string {
  return randomBytes(8).toString('hex');
}
