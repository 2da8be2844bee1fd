/** Options every linear and baseline fit function takes besides X and y. */
export interface ModelFitOptions {
  /** Parameters by name or alias, from the model's parameter table (docs/linear-models.md). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Per-row weights, finite and >= 0 with a positive sum; default 1 each. */
  readonly sampleWeight?: ArrayLike<number>;
}
