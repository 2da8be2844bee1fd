/**
 * The rows one iteration trains on: `indices[0 .. bagCount)` ascending are in the bag, `indices[bagCount .. n)` are
 * out of it. `active` false means every row is used (and `indices` is meaningless).
 */
export interface RowSample {
  readonly active: boolean;
  readonly indices: Int32Array;
  readonly bagCount: number;
}
