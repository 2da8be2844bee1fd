/**
 * The lines of a model text with a cursor, for the section readers. Accepts `\n` and `\r\n` line ends. Line numbers
 * are 1-based, for error messages.
 *
 * @internal
 */
export class ModelTextLines {
  readonly #lines: string[];
  #next = 0;

  constructor(text: string) {
    this.#lines = text.split('\n');
    for (let i = 0; i < this.#lines.length; i++) {
      const line = this.#lines[i];
      if (line.endsWith('\r')) this.#lines[i] = line.slice(0, -1);
    }
    // A final line end does not start another line.
    if (this.#lines.length > 0 && this.#lines[this.#lines.length - 1] === '') this.#lines.pop();
  }

  /** True when every line has been taken. */
  get done(): boolean {
    return this.#next >= this.#lines.length;
  }

  /** The 1-based number of the line `take` returns next (one past the last line when done). */
  get lineNumber(): number {
    return this.#next + 1;
  }

  /** The next line without taking it; undefined when done. */
  peek(): string | undefined {
    return this.#lines[this.#next];
  }

  /** Takes the next line; undefined when done. */
  take(): string | undefined {
    return this.#next < this.#lines.length ? this.#lines[this.#next++] : undefined;
  }

  /** Skips empty lines. */
  skipBlank(): void {
    while (this.#next < this.#lines.length && this.#lines[this.#next] === '') this.#next++;
  }
}
