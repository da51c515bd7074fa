/**
 * A list of strings packed as their UTF-8 bytes end to end, with where each ends: a few bytes a
 * string instead of a JavaScript string's header and two bytes a character for Chinese text. For
 * many strings held while a file is read (a workbook's shared strings, an import's checked rows).
 */
export class PackedStrings {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  count = 0;

  /** `maxBytes`: the most text there can be (e.g. that of a workbook part), so that growing never overshoots it by much. */
  constructor(private readonly maxBytes = Number.MAX_SAFE_INTEGER) {}

  /** Adds a string at the end; returns its index. */
  push(text: string): number {
    const size = Buffer.byteLength(text);
    if (this.used + size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.used + size, Math.min(this.bytes.length * 2, this.maxBytes)));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count] = this.used;
    return this.count++;
  }

  /** The string at `index`, or undefined when there is none. */
  at(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}
