import { appendFileSync, closeSync, createReadStream, existsSync, mkdirSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/*
 * Anchors: after each committed write, the audit chain's latest entry number and hash are appended to
 * a file outside the database, one JSON line each. Someone who can rewrite the database but not this
 * file cannot cut entries from the end of the log unnoticed: an anchor names an entry that is gone.
 *
 * Every line is written with one append (O_APPEND), so several app instances may share one file
 * without interleaving; their lines may then be slightly out of order, so readers take the highest
 * entry number rather than the last line. Each instance may as well keep a file of its own.
 */

export interface ChainAnchor {
  /** The audit entry's id. */
  seq: number;
  hash: string;
  /** When the anchor was written, ISO UTC. */
  at: string;
}

/** How much of the file's end is read for the latest anchor: lines from instances sharing a file are out of order only locally. */
const TAIL_BYTES = 64 * 1024;

/** Creates the file (and its folder) if need be, so that a path that cannot be written stops start-up, not the first write. */
export function prepareAnchorFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, 'a'));
}

export function appendAnchor(file: string, anchor: ChainAnchor): void {
  appendFileSync(file, JSON.stringify({ seq: anchor.seq, hash: anchor.hash, at: anchor.at }) + '\n', { flag: 'a' });
}

/** An anchor line as written, or null when the line is not one. */
export function parseAnchor(line: string): ChainAnchor | null {
  try {
    const value = JSON.parse(line) as Partial<ChainAnchor>;
    if (Number.isSafeInteger(value.seq) && value.seq! > 0 && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash) && typeof value.at === 'string') {
      return { seq: value.seq!, hash: value.hash, at: value.at };
    }
  } catch {
    // not JSON: reported by the caller as a line that is not an anchor
  }
  return null;
}

/** The anchor naming the highest entry, from the end of the file; null when there is none. */
export async function readLatestAnchor(file: string): Promise<ChainAnchor | null> {
  if (!existsSync(file)) return null;
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    // A read that starts inside the file may begin mid-line.
    if (start > 0) lines.shift();
    let latest: ChainAnchor | null = null;
    for (const line of lines) {
      const anchor = line ? parseAnchor(line) : null;
      if (anchor && (!latest || anchor.seq > latest.seq)) latest = anchor;
    }
    return latest;
  } finally {
    await handle.close();
  }
}

/** Every line of the file in order, with its line number: an anchor, or null for a line that is not one. */
export async function* readAnchors(file: string): AsyncGenerator<{ line: number; anchor: ChainAnchor | null }> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    yield { line, anchor: parseAnchor(text) };
  }
}
