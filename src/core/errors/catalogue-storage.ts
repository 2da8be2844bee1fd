import type { ErrorArea } from './error-definition.js';

/** Errors from src/storage: metadata, artifacts, events, key-value. */
export const STORAGE_ERRORS = {
  STORAGE_UNREACHABLE: {
    status: 503,
    message: 'Cannot reach the {kind} backend at {uri}: {problem}. Start the service or change {env}.',
    meaning: 'A scale-out backend (PostgreSQL, Redis, NATS) did not answer.',
    fix: 'Start the service (see docs/storage.md) or point the URI at a reachable server.',
  },
  STORAGE_DRIVER_MISSING: {
    status: 500,
    message: 'The {kind} backend needs the npm package "{pkg}". Install it with `npm install {pkg}`.',
    meaning: 'An optional driver package is not installed.',
    fix: 'Install the named package.',
  },
  STORAGE_MIGRATION_FAILED: {
    status: 500,
    message: 'Metadata migration "{migration}" failed: {problem}. The database was left at the previous version.',
    meaning: 'A schema migration could not be applied.',
    fix: 'Check database permissions and free space, then run the command again.',
  },
  STORAGE_NOT_SUPPORTED: {
    status: 400,
    message: 'The {backend} backend does not support {operation}.',
    meaning: 'An optional capability was used on a backend that lacks it.',
    fix: 'Use a backend whose capabilities include the operation.',
  },
  ARTIFACT_NOT_FOUND: {
    status: 404,
    message: 'Artifact {hash} is not in the artifact store at {root}. Re-create it or point LOOM_ARTIFACTS_URI at the right store.',
    meaning: 'A blob was asked for by hash but the store does not have it.',
    fix: 'Check the workspace (LOOM_HOME) and re-run the step that writes the artifact.',
  },
  ARTIFACT_CORRUPT: {
    status: 409,
    message: 'Artifact {hash} is corrupt: its bytes hash to {actual}. Delete {path} and re-create the artifact.',
    meaning: 'A stored blob no longer matches its content hash (disk fault or tampering).',
    fix: 'Delete the named file and re-run the step that made it; `loom data ingest` re-creates dataset blobs.',
  },
  ARTIFACT_INVALID_HASH: {
    status: 400,
    message: '"{hash}" is not a valid artifact hash. Use a 64-character lowercase hex SHA-256.',
    meaning: 'A malformed hash was given.',
    fix: 'Copy the hash exactly as Loom printed it.',
  },
  EVENTS_INVALID_STREAM: {
    status: 400,
    message: 'Stream name "{stream}" is invalid. Use letters, digits, "-", "_" and "." only (max 128).',
    meaning: 'An event stream name has characters that some backends cannot store.',
    fix: 'Rename the stream using only the allowed characters.',
  },
  EVENTS_INVALID_OFFSET: {
    status: 400,
    message: 'Offset {offset} is invalid for stream "{stream}". Offsets are integers ≥ 0 and at most the stream length ({length}).',
    meaning: 'A consumer offset was negative, fractional or past the end of the stream.',
    fix: 'Commit an offset returned by read().',
  },
  KV_INVALID_KEY: {
    status: 400,
    message: 'Key "{key}" is invalid: {problem}.',
    meaning: 'A key-value key was empty or too long.',
    fix: 'Use a non-empty key of at most 1024 bytes.',
  },
  STORAGE_BACKEND_ERROR: {
    status: 502,
    message: 'The {kind} backend at {uri} rejected the request: {problem}. Check the server log and its configuration.',
    meaning: 'A scale-out backend (Redis, NATS) answered, but with an error Loom does not map to a more specific code.',
    fix: 'Read the problem text and the server log; common causes are memory limits, ACLs and foreign data under Loom keys.',
  },
  STORAGE_CLOSED: {
    status: 503,
    message: 'The {kind} store was closed. Open it again (for example with Workspace.{kind}()) before using it.',
    meaning: 'A store method was called after close(), typically during shutdown.',
    fix: 'Do not use a store after closing it; open a new one.',
  },
  EVENTS_INVALID_CONSUMER: {
    status: 400,
    message: 'Consumer name "{consumer}" is invalid. Use letters, digits, "-", "_" and "." only (max 128).',
    meaning: 'A consumer name for committed offsets has characters that some backends cannot store.',
    fix: 'Rename the consumer using only the allowed characters.',
  },
  EVENTS_INVALID_ARGUMENT: {
    status: 400,
    message: 'Argument "{field}" is invalid: {problem}.',
    meaning: 'An event-log call got events, a limit or a handler of the wrong shape.',
    fix: 'Pass a non-empty array of JSON values, an integer limit in range, and a function as handler.',
  },
  KV_INVALID_ARGUMENT: {
    status: 400,
    message: 'Argument "{field}" is invalid: {problem}.',
    meaning: 'A key-value call got a value, TTL, delta, prefix or limit of the wrong shape.',
    fix: 'Values are strings (serialize first), ttlMs and limit are positive integers, delta is a safe integer.',
  },
  KV_VALUE_NOT_INTEGER: {
    status: 409,
    message: 'Cannot increment key "{key}": its value is not an integer in ±(2^53−1). Delete the key or store an integer string.',
    meaning: 'incrBy was called on a key holding text, or the result would leave the safe-integer range.',
    fix: 'Use a separate key for counters, or delete the key first.',
  },
  METADATA_CONFLICT: {
    status: 409,
    message: '{entity} "{id}" already exists.',
    meaning: 'A unique metadata record was written twice.',
    fix: 'Use another name, or update the existing record.',
  },
} as const satisfies ErrorArea;
