export { inferLogicalType } from './infer-schema.js';
export { assertSchemaMatches, compareSchemas, parseSchema, schemaOf } from './schema.js';
export type { ColumnSchema, Schema, SchemaDifference } from './schema.js';
