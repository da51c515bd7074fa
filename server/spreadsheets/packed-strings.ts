/** The first page's size; each next page doubles it up to PAGE_BYTES. */
const FIRST_PAGE_BYTES = 64 * 1024;
/** The largest page: what a list grows by at a time once it is large. */
const PAGE_BYTES = 1024 * 1024;

/**
 * A list of strings packed as their UTF-8 bytes end to end, with where each ends: a few bytes a
 * string instead of a JavaScript string's header and two bytes a character for Chinese text. For
 * many strings held while a file is read (a workbook's shared strings, an import's checked rows).
 *
 * The bytes are kept in pages of at most 1 MB (a longer string gets a page of its own size), so
 * that the list grows a page at a time: never copied whole, and never more than a page over what
 * it holds (growing one buffer by doubling held up to three times the text while it was copied).
 */
export class PackedStrings {
  private readonly pages: Buffer[] = [];
  /** Where each page's first string starts, counted over the strings' bytes end to end. */
  private readonly pageStarts: number[] = [];
  /** Bytes used in the last page. */
  private pageUsed = 0;
  private used = 0;
  private ends = new Uint32Array(1024);
  count = 0;

  /** Bytes of text held (without the unused rest of the pages). */
  get byteLength(): number {
    return this.used;
  }

  /** Adds a string at the end; returns its index. */
  push(text: string): number {
    const size = Buffer.byteLength(text);
    let page = this.pages.at(-1);
    if (!page || this.pageUsed + size > page.length) {
      const next = Math.min(PAGE_BYTES, page ? page.length * 2 : FIRST_PAGE_BYTES);
      page = Buffer.allocUnsafe(Math.max(next, size));
      this.pages.push(page);
      this.pageStarts.push(this.used);
      this.pageUsed = 0;
    }
    this.pageUsed += page.write(text, this.pageUsed);
    this.used += size;
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
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    const end = this.ends[index]!;
    // The last page starting at or before the string's start holds it whole (an empty string may sit at a page's end).
    let low = 0;
    let high = this.pageStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.pageStarts[mid]! <= start) low = mid;
      else high = mid - 1;
    }
    const pageStart = this.pageStarts[low] ?? 0;
    const page = this.pages[low];
    return page ? page.toString('utf8', start - pageStart, end - pageStart) : '';
  }
}
