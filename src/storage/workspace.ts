import { resolveConfig, type ConfigSources, type LoomConfig } from '../core/config.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { openArtifactStore } from './artifacts/index.js';
import type { EventLog } from './events/index.js';
import { openEventLog } from './events/index.js';
import type { KvStore } from './kv/index.js';
import { openKvStore } from './kv/index.js';
import type { MetadataStore } from './metadata/index.js';
import { openMetadataStore } from './metadata/index.js';

/**
 * A Loom workspace: the resolved config plus its four stores, each opened on first use so that a command touching
 * only metadata never connects to Redis or NATS. Close it when done; closing closes what was opened.
 *
 * @example
 * const ws = Workspace.open();            // ./.loom, or LOOM_HOME, or loom.config.json
 * const store = await ws.metadata();
 * await ws.close();
 */
export class Workspace {
  readonly config: LoomConfig;
  #metadata: Promise<MetadataStore> | null = null;
  #artifacts: Promise<ArtifactStore> | null = null;
  #events: Promise<EventLog> | null = null;
  #kv: Promise<KvStore> | null = null;

  private constructor(config: LoomConfig) {
    this.config = config;
  }

  /** Resolves config (overrides > env > loom.config.json > defaults) and returns an unopened workspace. */
  static open(sources: ConfigSources = {}): Workspace {
    return new Workspace(resolveConfig(sources));
  }

  /** A workspace over an already resolved config. */
  static fromConfig(config: LoomConfig): Workspace {
    return new Workspace(config);
  }

  metadata(): Promise<MetadataStore> {
    this.#metadata ??= openMetadataStore(this.config.metadataUri);
    return this.#metadata;
  }

  artifacts(): Promise<ArtifactStore> {
    this.#artifacts ??= openArtifactStore(this.config.artifactsUri);
    return this.#artifacts;
  }

  events(): Promise<EventLog> {
    this.#events ??= openEventLog(this.config.eventsUri);
    return this.#events;
  }

  kv(): Promise<KvStore> {
    this.#kv ??= openKvStore(this.config.kvUri);
    return this.#kv;
  }

  /** Closes every store that was opened. Safe to call twice. A store whose opening failed is skipped: that error already reached the caller. */
  async close(): Promise<void> {
    const opened = [this.#metadata, this.#artifacts, this.#events, this.#kv].filter((p) => p !== null);
    this.#metadata = this.#artifacts = this.#events = this.#kv = null;
    await Promise.all(opened.map((p) => p.then((store) => store.close(), () => undefined)));
  }
}
