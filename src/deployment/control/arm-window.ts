/** Most latencies and scores an arm window keeps (the newest). */
export const WINDOW_SAMPLES = 4096;

/**
 * What serving observed of one arm during one deployment step: request and failure counts, and the newest
 * latencies and scores in fixed-size rings (no allocation per request).
 */
export class ArmWindow {
  requests = 0;
  failures = 0;
  readonly latencies = new Float64Array(WINDOW_SAMPLES);
  latencyCount = 0;
  readonly scores = new Float64Array(WINDOW_SAMPLES);
  scoreCount = 0;

  observe(failed: boolean, latencyMs: number | null, score: number | null): void {
    this.requests++;
    if (failed) this.failures++;
    if (latencyMs !== null && Number.isFinite(latencyMs)) this.latencies[this.latencyCount++ % WINDOW_SAMPLES] = latencyMs;
    if (score !== null && Number.isFinite(score)) this.scores[this.scoreCount++ % WINDOW_SAMPLES] = score;
  }

  /** The kept latencies (a copy). */
  latencySample(): Float64Array {
    return this.latencies.slice(0, Math.min(this.latencyCount, WINDOW_SAMPLES));
  }

  /** The kept scores (a copy). */
  scoreSample(): Float64Array {
    return this.scores.slice(0, Math.min(this.scoreCount, WINDOW_SAMPLES));
  }
}
