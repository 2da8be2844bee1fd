/**
 * Serving defaults that `loom serve --help` and `loom predict --help` print. They live apart from the server and the
 * batch predictor, so the CLI shows them without loading either (cli/main.ts).
 */

/** Default request body limit: 8 MiB (about 40k Adult records as Loom JSON). */
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** How long an alias or `latest` resolution is trusted before the registry is asked again (hot swap delay). */
export const DEFAULT_ALIAS_REFRESH_MS = 1000;

/** Default rows per chunk of batch prediction: the rows held in JS at once. */
export const DEFAULT_CHUNK_ROWS = 50_000;
