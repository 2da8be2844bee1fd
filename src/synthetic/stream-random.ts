import { createHash } from 'node:crypto';
import { Random } from '../core/random.js';

/**
 * A Random for one named stream of a world (`customers`, `events-history`, `labels`, …), seeded from the world seed
 * and the stream name. Each table draws from its own stream, so changing how one table is generated never shifts
 * the numbers another table sees, and the same seed always gives the same stream.
 *
 * @example
 * const rng = streamRandom(42, 'customers');
 */
export function streamRandom(seed: number, stream: string): Random {
  const digest = createHash('sha256').update(`loom-synthetic:${seed}:${stream}`).digest();
  return new Random(digest.readUInt32LE(0));
}
