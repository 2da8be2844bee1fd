import { closeSync, openSync, writeSync } from 'node:fs';

/** Lines buffered before one write; large enough that writes are few, small enough to keep memory flat. */
const LINES_PER_WRITE = 8192;

/**
 * Writes a text file line by line (each line ends in `\n`, UTF-8), in batches, replacing any existing file. Counts
 * the lines written after the header. Call close() when done; it flushes the last batch.
 */
export class LineFileWriter {
  readonly #fd: number;
  #batch: string[] = [];
  #rows = 0;

  constructor(path: string, header?: string) {
    this.#fd = openSync(path, 'w');
    if (header !== undefined) this.#batch.push(header);
  }

  /** Data rows written so far (the header is not counted). */
  get rows(): number {
    return this.#rows;
  }

  /** Adds one line (without its `\n`). */
  line(text: string): void {
    this.#batch.push(text);
    this.#rows++;
    if (this.#batch.length >= LINES_PER_WRITE) this.#flush();
  }

  /** Flushes and closes the file. */
  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    writeSync(this.#fd, `${this.#batch.join('\n')}\n`);
    this.#batch = [];
  }
}
