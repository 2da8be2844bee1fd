import { z } from 'zod';
import { LoomError } from '../../core/errors/index.js';
import { firstIssue } from '../../core/zod-issue.js';

/** A change applied to one column of every tested row: set a value, or add to / multiply a number. */
export type Perturbation = { readonly set: string | number | boolean | null } | { readonly add: number } | { readonly scale: number };

/** Perturbing `column` must not move any output by more than `epsilon` (absolute, in output units). */
export interface InvarianceTest {
  readonly kind: 'invariance';
  readonly name: string;
  readonly column: string;
  readonly perturb: Perturbation;
  readonly epsilon: number;
  /** Rows of the evaluation data tested (a seeded sample; default 1000). */
  readonly rows?: number;
}

/**
 * Perturbing `column` must move the score in `direction` for every tested row; a move the other way by at most
 * `tolerance` is allowed (default 0). `output` names the output (`p_<class>`) for multiclass models.
 */
export interface DirectionalTest {
  readonly kind: 'directional';
  readonly name: string;
  readonly column: string;
  readonly perturb: Perturbation;
  readonly direction: 'increase' | 'decrease';
  readonly tolerance?: number;
  readonly output?: string;
  readonly rows?: number;
}

/** Named input records with the label a classifier must give, or the range a regressor must predict in. */
export interface MinimumFunctionalityTest {
  readonly kind: 'minimum_functionality';
  readonly name: string;
  readonly cases: readonly {
    readonly name?: string;
    readonly input: Readonly<Record<string, string | number | boolean | null>>;
    readonly expected?: string;
    readonly expected_range?: readonly [number, number];
  }[];
}

/** A behavioural test declared as data (JSON), run against any loaded model; a `kind`-discriminated union. */
export type BehaviouralTest = InvarianceTest | DirectionalTest | MinimumFunctionalityTest;

const perturbZod = z.union([
  z.strictObject({ set: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
  z.strictObject({ add: z.number() }),
  z.strictObject({ scale: z.number() }),
]);
const rows = z.number().int().positive().max(1_000_000).optional();
const testZod = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('invariance'), name: z.string().min(1), column: z.string().min(1), perturb: perturbZod, epsilon: z.number().nonnegative(), rows }),
  z.strictObject({
    kind: z.literal('directional'),
    name: z.string().min(1),
    column: z.string().min(1),
    perturb: perturbZod,
    direction: z.enum(['increase', 'decrease']),
    tolerance: z.number().nonnegative().optional(),
    output: z.string().optional(),
    rows,
  }),
  z.strictObject({
    kind: z.literal('minimum_functionality'),
    name: z.string().min(1),
    cases: z
      .array(
        z
          .strictObject({
            name: z.string().optional(),
            input: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
            expected: z.string().optional(),
            expected_range: z.tuple([z.number(), z.number()]).optional(),
          })
          .refine((c) => (c.expected === undefined) !== (c.expected_range === undefined), { message: 'give exactly one of expected (a class) or expected_range ([min, max])' }),
      )
      .min(1),
  }),
]);

/** Companion of BehaviouralTest: validation of test files. */
export const BehaviouralTest = {
  /**
   * Validates a list of tests (the parsed JSON of a test file, or one test) and freezes it.
   * @throws LOOM_ERR_EVAL_BEHAVIOURAL_SPEC_INVALID naming the test and the field
   */
  parseAll(value: unknown): readonly BehaviouralTest[] {
    const list = Array.isArray(value) ? value : [value];
    return Object.freeze(
      list.map((item, i) => {
        const parsed = testZod.safeParse(item);
        const name = typeof (item as { name?: unknown })?.name === 'string' ? (item as { name: string }).name : `#${i + 1}`;
        if (!parsed.success) {
          const { field, problem } = firstIssue(parsed.error, 'kind');
          throw new LoomError('EVAL_BEHAVIOURAL_SPEC_INVALID', { name, field, problem }, { details: { field, test: name } });
        }
        return Object.freeze(parsed.data) as BehaviouralTest;
      }),
    );
  },
  /** True when `value` is one valid test. */
  is(value: unknown): value is BehaviouralTest {
    return testZod.safeParse(value).success;
  },
};
