/** A SQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: double quotes doubled, so any column name (spaces, dashes, quotes) is safe. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
