import type { ErrorArea } from './error-definition.js';

/** Errors from src/serving (the V2 Open Inference Protocol, the Loom protocol, the prediction log, `loom serve`). */
export const SERVING_ERRORS = {
  SERVING_BODY_TOO_LARGE: {
    status: 413,
    message: 'The request body is larger than the server accepts ({limit} bytes). Send fewer records per request, or start the server with a larger --body-limit.',
    meaning: 'A request body exceeded the serving body limit.',
    fix: 'Split the request into smaller batches, or raise the limit with `loom serve --body-limit <bytes>`.',
  },
  SERVING_MALFORMED_JSON: {
    status: 400,
    message: 'The request body is not valid JSON: {problem}. Send a JSON object with Content-Type: application/json.',
    meaning: 'A request body could not be parsed as JSON (or was not an object).',
    fix: 'Send a well-formed JSON object.',
  },
  SERVING_ROUTE_NOT_FOUND: {
    status: 404,
    message: 'There is no route {method} {path}. Serving routes: GET /v2/health/live, /v2/health/ready, /v2/models/<name>[/versions/<v>][/ready], POST /v2/models/<name>[/versions/<v>]/infer, POST /v1/models/<name>/predict, GET /metrics.',
    meaning: 'The method and path match no serving route.',
    fix: 'Use one of the listed routes (see docs/serving.md).',
  },
  SERVING_MODEL_NOT_FOUND: {
    status: 404,
    message: 'Model "{name}" is not served here.{suggestion} Served models: {known}. Start `loom serve --models {name}@<alias>` to serve it.',
    meaning: 'The model named in the path is neither loaded nor (when the server has a registry) registered.',
    fix: 'Check the name with GET /v2/models/<name>, or serve it with `loom serve --models`.',
  },
  SERVING_VERSION_NOT_FOUND: {
    status: 404,
    message: 'Model "{name}" has no version "{version}" here. Its versions: {known}.',
    meaning: 'The version named in the path or request is not available for the model.',
    fix: 'Use one of the listed versions, or leave the version out to use the default.',
  },
  SERVING_INVALID_REQUEST: {
    status: 400,
    message: 'The request field "{field}" is invalid: {problem}.',
    meaning: 'A serving request is missing a required field or has one of the wrong type or shape (inputs, shape, datatype, data, records, options).',
    fix: 'Follow the request shape in docs/serving.md; the field is named in the message and in details.field.',
  },
  SERVING_INVALID_RECORD: {
    status: 400,
    message: 'Record {index} is invalid: field "{field}" {problem}.{more} Fix the record, or send ?partial=true to get predictions for the valid records and an error for each invalid one.',
    meaning: 'A record does not match the model\'s input signature (a missing field, a wrong type, a non-finite number, an unknown datatype for the column).',
    fix: 'Send every input column of the model (GET /v2/models/<name> lists them) with values of its type.',
  },
  SERVING_EXPLAIN_UNSUPPORTED: {
    status: 400,
    message: 'Model "{name}" (flavor {flavor}) cannot explain its predictions. Leave out "explain", or serve a GBDT model, whose explanations are exact TreeSHAP values.',
    meaning: 'Explanations were requested from a model flavor that has no explainer.',
    fix: 'Drop the explain option, or use a gbdt model.',
  },
  SERVING_INVALID_OPTION: {
    status: 400,
    message: 'The serving option "{field}" is invalid: {problem}.',
    meaning: 'A `loom serve` flag or serving config value is out of range or malformed.',
    fix: 'See `loom serve --help` and docs/serving.md for the allowed values.',
  },
  SERVING_OVERLOADED: {
    status: 503,
    message: 'The micro-batch queue of model "{name}" is full ({limit} records waiting). Retry after a short delay, or start the server with a larger --max-queue.',
    meaning: 'More records are waiting for a micro-batch than the queue limit allows; the request was refused rather than left to time out.',
    fix: 'Retry with back-off, add replicas, or raise --max-queue.',
  },
} as const satisfies ErrorArea;
