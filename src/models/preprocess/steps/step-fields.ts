import { z } from 'zod';

/** A column name. */
export const columnName = z.string().min(1);

/** A non-empty list of distinct column names. */
export const columnList = z
  .array(columnName)
  .min(1)
  .refine((names) => new Set(names).size === names.length, 'list each column once');

/** A finite number (JSON has no NaN or Infinity, and fitted states must round-trip through JSON). */
export const finite = z.number().refine(Number.isFinite, 'must be a finite number');
