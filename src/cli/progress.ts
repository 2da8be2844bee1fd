import cliProgress from 'cli-progress';

/** A progress reporter for long work. Library code takes one as an option and calls it; the CLI renders it. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A progress reporter that shows nothing. */
export const NOOP_PROGRESS: Progress = { start() {}, update() {}, stop() {} };

/**
 * A bar on stderr (so `--json` output on stdout stays clean). Outside a TTY it prints a line per update at most
 * every two seconds. Disabled with `--quiet`/LOOM_NO_PROGRESS=1.
 */
export function progressBar(enabled = process.env.LOOM_NO_PROGRESS !== '1'): Progress {
  if (!enabled) return NOOP_PROGRESS;
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, label) {
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          noTTYOutput: true,
          notTTYSchedule: 2000,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
