/** @internal A DuckDB TIMESTAMPTZ literal for an epoch-ms instant (UTC). */
export function utcLiteral(ms: number): string {
  return `CAST('${new Date(ms).toISOString()}' AS TIMESTAMPTZ)`;
}
