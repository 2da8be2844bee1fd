export { ERROR_AREAS, ERROR_CATALOGUE } from './catalogue.js';
export type { ErrorName } from './catalogue.js';
export type { ErrorArea, ErrorDefinition } from './error-definition.js';
export { LoomError, asLoomError, isLoomError, loomError } from './loom-error.js';
export type { ErrorBody, ErrorDetails, ErrorParams } from './loom-error.js';
export { renderErrorDocs } from './error-docs.js';
