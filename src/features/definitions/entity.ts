import { z } from 'zod';
import { JOIN_KEY_TYPES, type JoinKeyType } from './feature-types.js';
import { NAME_PATTERN, NAME_RULE, parseDefinition } from './definition-error.js';

/** What `entity()` takes. */
export interface EntityInput {
  /** Unique among entities: letters, digits, `_`. */
  readonly name: string;
  /** Join key columns and their types, in key order. Several keys make a composite key. */
  readonly joinKeys: Readonly<Record<string, JoinKeyType>>;
  readonly description?: string;
}

/** One join key column. */
export interface JoinKey {
  readonly name: string;
  readonly type: JoinKeyType;
}

/** A validated, frozen entity: the thing features describe (a customer, a merchant, a customer×merchant pair). */
export interface Entity {
  readonly kind: 'entity';
  readonly name: string;
  readonly joinKeys: readonly JoinKey[];
  readonly description: string;
}

const entitySchema = z.strictObject({
  name: z.string().regex(NAME_PATTERN, NAME_RULE),
  joinKeys: z
    .record(z.string().regex(NAME_PATTERN, NAME_RULE), z.enum(JOIN_KEY_TYPES))
    .refine((keys) => Object.keys(keys).length > 0, 'an entity needs at least one join key'),
  description: z.string().default(''),
});

/**
 * Declares an entity with typed join keys.
 *
 * @throws LOOM_ERR_FEATURES_INVALID_DEFINITION naming the field
 * @example
 * const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
 * const pair = entity({ name: 'customer_merchant', joinKeys: { customer_id: 'int', merchant: 'string' } });
 */
export function entity(input: EntityInput): Entity {
  const parsed = parseDefinition(entitySchema, input, `entity "${(input as { name?: unknown })?.name ?? '?'}"`);
  return Object.freeze({
    kind: 'entity' as const,
    name: parsed.name,
    joinKeys: Object.freeze(Object.entries(parsed.joinKeys).map(([name, type]) => Object.freeze({ name, type }))),
    description: parsed.description,
  });
}
