import type { DuckDBConnection } from '@duckdb/node-api';
import type { Progress } from '../../cli/progress.js';

/**
 * @internal Runs `work` (one long DuckDB statement) while reporting DuckDB's own query progress (0–100) to
 * `progress` every 250 ms, labelled `label`.
 */
export async function withQueryProgress<T>(connection: DuckDBConnection, progress: Progress | undefined, label: string, work: () => Promise<T>): Promise<T> {
  if (progress === undefined) return work();
  await connection.run('SET enable_progress_bar = true');
  await connection.run('SET enable_progress_bar_print = false');
  progress.start(100, label);
  const timer = setInterval(() => {
    const { percentage } = connection.progress;
    if (percentage >= 0) progress.update(Math.min(99, Math.floor(percentage)));
  }, 250);
  try {
    const result = await work();
    progress.update(100);
    return result;
  } finally {
    clearInterval(timer);
    progress.stop();
  }
}
