import type { Command } from 'commander';
import { LoomError } from '../../core/errors/index.js';
import type { StreamUpdateStats } from '../../features/index.js';
import { emit, table, type GlobalOptions } from '../cli-output.js';
import { progressBar } from '../progress.js';
import { withWorkspace } from '../with-workspace.js';

/** Default event-log stream skipped events are appended to. */
export const FEATURES_DEAD_LETTER_STREAM = 'features.dead-letter';
/** Most skipped events listed in the command's output (all of them are counted and dead-lettered). */
const LISTED_SKIPS = 100;

interface StreamOptions {
  readonly fromBeginning?: boolean;
  readonly once?: boolean;
  readonly pollMs: string;
  readonly deadLetter: string;
}

/**
 * Registers `loom features stream [views...]`: follows the event-log streams of stream-sourced views and keeps their
 * online values and window aggregates up to date until SIGINT/SIGTERM, or drains what is there with `--once`. An
 * event that cannot be read (e.g. without its join key) is a coded error appended to the dead-letter stream and
 * counted; it never stops the consumer.
 */
export function registerFeaturesStreamCommand(features: Command): void {
  features
    .command('stream [views...]')
    .description('update the online store from the event-log streams of stream-sourced views until SIGINT (or drain once with --once)')
    .option('--from-beginning', 'replay each stream from offset 0 (idempotent: nothing regresses or counts twice)')
    .option('--once', 'drain what the streams hold now, then exit')
    .option('--poll-ms <ms>', 'wait between polls of an idle stream', '200')
    .option('--dead-letter <stream>', 'event stream that skipped events are appended to', FEATURES_DEAD_LETTER_STREAM)
    .action(async (views: string[], opts: StreamOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const pollMs = /^[0-9]+$/.test(opts.pollMs) ? Number(opts.pollMs) : Number.NaN;
      if (!(pollMs >= 1 && pollMs <= 60_000)) throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: '--poll-ms', problem: `"${opts.pollMs}" is not a whole number of ms from 1 to 60000` }, { details: { field: 'poll-ms' } });
      await withWorkspace(async (ws) => {
        // Loaded here, not for every `loom` start (see cli/main.ts).
        const { listFeatureViews, runStreamUpdates, streamConsumer } = await import('../../features/index.js');
        const followed = (await listFeatureViews(ws))
          .filter((v) => v.spec.kind === 'feature-view' && v.spec.source.kind === 'stream' && (views.length === 0 || views.includes(v.name)))
          .map((v) => ({ view: v.name, version: v.latestVersion, stream: (v.spec as { source: { stream: string } }).source.stream }));
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const skips: { view: string; offset: number; code: string; field: unknown; message: string }[] = [];
        const startedAt = Date.now();
        if (!global.json && followed.length > 0) {
          process.stderr.write(`following ${followed.map((f) => `${f.view} ← ${f.stream}`).join(', ')}${opts.once ? ' (draining once)' : '; Ctrl-C stops'}\n`);
        }
        // Draining once has a known amount of work: the events after each view's committed position.
        const progress = opts.once && !global.json ? progressBar() : null;
        if (progress !== null) {
          const log = await ws.events();
          let backlog = 0;
          for (const f of followed) backlog += opts.fromBeginning ? await log.length(f.stream) : Math.max(0, (await log.length(f.stream)) - (await log.committed(streamConsumer(f.view, f.version), f.stream)));
          progress.start(backlog, 'streaming');
        }
        let stats: StreamUpdateStats;
        try {
          stats = await runStreamUpdates(ws, {
            signal: stop.signal,
            views: views.length > 0 ? views : undefined,
            once: opts.once,
            fromBeginning: opts.fromBeginning,
            pollMs,
            deadLetterStream: opts.deadLetter,
            onSkip: (err, event, view) => {
              if (skips.length < LISTED_SKIPS) skips.push({ view, offset: event.offset, code: err.code, field: err.details?.field ?? null, message: err.message });
              if (!global.json) process.stderr.write(`skipped: ${err.code}: ${err.message}\n`);
            },
            onBatch: (s) => {
              if (progress !== null) progress.update(s.events);
              else if (!global.json) process.stderr.write(`\r${s.events} events read, ${s.written} values and ${s.aggregates} aggregate states written, ${s.skipped} skipped`);
            },
          });
        } finally {
          progress?.stop();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        if (!global.json && progress === null && stats.events > 0) process.stderr.write('\n');
        const result = { views: followed, ...stats, deadLetterStream: opts.deadLetter, skips, seconds: (Date.now() - startedAt) / 1000, stoppedBy: opts.once ? 'drained' : 'signal' };
        emit(global, result, () =>
          followed.length === 0
            ? 'no stream-sourced feature views to follow; declare one with streamSource(...) and run `loom features apply`'
            : [
                table(['view', 'version', 'stream'], followed.map((f) => [f.view, f.version.slice(0, 12), f.stream])),
                `${stats.events} events read, ${stats.written} values and ${stats.aggregates} aggregate states written, ${stats.skipped} skipped${stats.skipped > 0 ? ` (see stream ${opts.deadLetter})` : ''}`,
              ].join('\n'),
        );
      });
    });
}
