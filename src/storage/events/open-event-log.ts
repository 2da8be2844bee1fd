import { selectBackend, type BackendOpener } from '../backend-registry.js';
import type { EventLog } from './event-log.js';

/**
 * Event-log backends by URI scheme. Each opener imports its backend lazily, so opening the embedded default never
 * loads the NATS client.
 */
export const EVENT_LOG_BACKENDS: ReadonlyMap<string, BackendOpener<EventLog>> = new Map<string, BackendOpener<EventLog>>([
  ['sqlite', async (uri) => (await import('./sqlite/sqlite-event-log.js')).SqliteEventLog.open(uri.slice('sqlite://'.length))],
  ['nats', async (uri) => (await import('./nats/nats-event-log.js')).NatsEventLog.open(uri)],
]);

/**
 * Opens the event log a URI names: `sqlite://<path>` (embedded default; parent folders are created),
 * `sqlite://:memory:`, or `nats://host:port[?namespace=ns]` (JetStream).
 *
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND for another scheme, LOOM_ERR_CONFIG_INVALID for a malformed URI,
 *   LOOM_ERR_STORAGE_UNREACHABLE when the file cannot be opened or the server does not answer within 3 s.
 * @example
 * const log = await openEventLog('sqlite:///srv/loom/events.db');
 * await log.append('outcomes', [{ requestId: 'r1', label: 1 }]);
 * console.log(await log.read('outcomes', 0, 100));
 * await log.close();
 */
export async function openEventLog(uri: string): Promise<EventLog> {
  return selectBackend('events', uri, EVENT_LOG_BACKENDS)(uri);
}
