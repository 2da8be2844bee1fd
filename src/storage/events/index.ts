export type { AppendResult, EventHandler, EventLog, EventLogCapabilities, EventRecord } from './event-log.js';
export { MAX_READ_LIMIT } from './event-log-base.js';
export { EVENT_LOG_BACKENDS, openEventLog } from './open-event-log.js';
export { SqliteEventLog, SQLITE_EVENTS_BUSY_TIMEOUT_MS } from './sqlite/sqlite-event-log.js';
export type { SqliteEventLogOptions } from './sqlite/sqlite-event-log.js';
export { NatsEventLog } from './nats/nats-event-log.js';
export { NATS_CONNECT_TIMEOUT_MS } from './nats/jetstream-connection.js';
