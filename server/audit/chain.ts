import { createHmac, hkdfSync } from 'node:crypto';
import type { Knex } from 'knex';
import { lockChain } from '../../db/dialect.ts';
import { appendAnchor, prepareAnchorFile, readAnchors, readLatestAnchor, type ChainAnchor } from './anchors.ts';

export type { ChainAnchor } from './anchors.ts';
export interface AuditActor {
  id: number | null;
  username: string | null;
  ip: string | null;
}

export interface AuditEntryInput {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** An audit_log row as stored. */
export interface StoredEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export type EntryContent = Omit<StoredEntry, 'id' | 'prev_hash' | 'hash'>;

export const GENESIS = '0'.repeat(64);
const CHAIN_LOCK_KEY = 7_001;
/** Within SQLite's limit of 500 terms in the compound SELECT that knex builds for a multi-row insert. */
const AUDIT_INSERT_CHUNK = 200;
export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system', ip: null };

/*
 * The chain is keyed: each entry's hash is an HMAC over the previous hash and the entry, under a key
 * derived from config.integrityKey, which is kept outside the database. Whoever can rewrite the
 * database but does not hold the key cannot recompute the hashes after an entry they changed. The
 * key and the anchor file belong to a database handle: bound once where the handle is opened
 * (useAuditChain), and found again from any transaction on it.
 */

export interface AuditChainSettings {
  /** config.integrityKey; the chain's own key is derived from it. */
  integrityKey: string;
  /** config.auditAnchorFile. */
  anchorFile: string;
  /** Told when an anchor could not be written; the entries it was to anchor are committed by then. */
  onAnchorError?: (err: unknown) => void;
}

interface BoundChain {
  key: Buffer;
  anchorFile: string;
  onAnchorError: (err: unknown) => void;
}

/**
 * Where a handle keeps its chain: a symbol-keyed property of its driver settings, which knex shares
 * with every transaction on the handle and copies into the clone it runs migrations on. A registered
 * symbol, because knex loads migration files as a second copy of the modules they import.
 */
const CHAIN = Symbol.for('integrity-ledger.audit-chain');
type ChainCarrier = { [CHAIN]?: BoundChain };

/** The chain's HMAC key: derived, so that the integrity key's other uses never share a key with the chain. */
function chainKey(integrityKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', integrityKey, '', 'integrity-ledger audit chain v1', 32));
}

/** Binds the chain's key and anchor file to a database handle; every writer and verifier of its chain uses them. */
export function useAuditChain(db: Knex, settings: AuditChainSettings): void {
  prepareAnchorFile(settings.anchorFile);
  (db.client.config as ChainCarrier)[CHAIN] = {
    key: chainKey(settings.integrityKey),
    anchorFile: settings.anchorFile,
    onAnchorError: settings.onAnchorError ?? ((err) => console.error(`Audit anchor not written to ${settings.anchorFile}: ${(err as Error).message}`)),
  };
}

function chainOf(db: Knex | Knex.Transaction): BoundChain {
  const chain = (db.client.config as ChainCarrier)[CHAIN];
  if (!chain) throw new Error('The audit chain has no key for this database: call useAuditChain(db, …) where the database is opened.');
  return chain;
}

/** The key bound to the database, for re-keying the chain (rekey.ts) and nothing else. */
export function boundChainKey(db: Knex | Knex.Transaction): Buffer {
  return chainOf(db).key;
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The fields an entry's hash covers, in a fixed order, so that the hash does not depend on how a driver orders columns. */
export function hashedContent(e: EntryContent): string {
  return JSON.stringify([e.at, e.actor_id, e.actor_name, e.action, e.entity_type, e.entity_id, e.before_json, e.after_json, e.ip]);
}

export function entryHash(key: Buffer, prevHash: string, e: EntryContent): string {
  return createHmac('sha256', key).update(prevHash).update(hashedContent(e)).digest('hex');
}

/** An entry's content as hashed, from a stored row (drivers return times in different shapes). */
export function contentOf(row: StoredEntry): EntryContent {
  const { id: _id, prev_hash: _p, hash: _h, ...content } = row;
  return { ...content, at: new Date(content.at).toISOString() };
}

// The latest entry of each open transaction's writes, anchored once that transaction commits.
const pendingAnchors = new WeakMap<Knex.Transaction, { seq: number; hash: string }>();

/**
 * Anchors the last entry written in `trx` once its outermost transaction has committed (knex settles
 * `executionPromise` on commit or rollback): an anchor never names an entry that was rolled back.
 */
function anchorAfterCommit(chain: BoundChain, trx: Knex.Transaction, last: { seq: number; hash: string }): void {
  let outer = trx;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  const waiting = pendingAnchors.has(outer);
  pendingAnchors.set(outer, last);
  if (waiting) return;
  outer.executionPromise.then(
    () => {
      const entry = pendingAnchors.get(outer)!;
      pendingAnchors.delete(outer);
      try {
        appendAnchor(chain.anchorFile, { ...entry, at: new Date().toISOString() });
      } catch (err) {
        chain.onAnchorError(err);
      }
    },
    () => pendingAnchors.delete(outer),
  );
}

/**
 * Appends several entries by one actor in order, inside the caller's transaction, with one lock, one
 * read of the chain's end and multi-row inserts: a bulk import writes thousands of entries, and one
 * round trip per entry kept the transaction (and the chain lock) for seconds. The last entry is
 * anchored when the transaction commits.
 */
export async function recordAuditEntries(trx: Knex.Transaction, actor: AuditActor, inputs: AuditEntryInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const chain = chainOf(trx);
  await lockChain(trx, CHAIN_LOCK_KEY);
  const last = await trx('audit_log').select('hash').orderBy('id', 'desc').first();
  let prevHash: string = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const rows = inputs.map((input) => {
    const row = {
      at,
      actor_id: actor.id,
      actor_name: actor.username,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
      before_json: toJson(input.before),
      after_json: toJson(input.after),
      ip: actor.ip,
    };
    const entry = { ...row, prev_hash: prevHash, hash: entryHash(chain.key, prevHash, row) };
    prevHash = entry.hash;
    return entry;
  });
  // Rows of one multi-row insert get ascending ids in the order given, which is the chain's order.
  let lastId = 0;
  for (let i = 0; i < rows.length; i += AUDIT_INSERT_CHUNK) {
    const ids: Array<{ id: number }> = await trx('audit_log').insert(rows.slice(i, i + AUDIT_INSERT_CHUNK)).returning('id');
    lastId = Math.max(lastId, ...ids.map((r) => Number(r.id)));
  }
  anchorAfterCommit(chain, trx, { seq: lastId, hash: prevHash });
}

/** Appends one entry to the hash chain, inside the caller's transaction. */
export function recordAudit(trx: Knex.Transaction, actor: AuditActor, input: AuditEntryInput): Promise<void> {
  return recordAuditEntries(trx, actor, [input]);
}

/** Records an event that is not part of another change (a login, a logout) in its own transaction. */
export async function recordAuditEvent(db: Knex, actor: AuditActor, input: AuditEntryInput): Promise<void> {
  await db.transaction((trx) => recordAudit(trx, actor, input));
}

/** The anchor naming the highest entry: for the verify page and for the footer of every report. */
export function latestAnchor(db: Knex): Promise<ChainAnchor | null> {
  return readLatestAnchor(chainOf(db).anchorFile);
}

/**
 * Anchors the chain's latest committed entry when no anchor names it or a later one yet: run at
 * start-up and now and then, so that an instance's anchor file follows the entries other instances
 * write. A log whose end was cut is not anchored again lower down: the earlier anchors still name
 * the missing entries.
 */
export async function anchorChainEnd(db: Knex): Promise<ChainAnchor | null> {
  const chain = chainOf(db);
  const last = await db('audit_log').orderBy('id', 'desc').first('id', 'hash');
  if (!last) return null;
  const latest = await readLatestAnchor(chain.anchorFile);
  if (latest && latest.seq >= Number(last.id)) return latest;
  const anchor = { seq: Number(last.id), hash: String(last.hash), at: new Date().toISOString() };
  appendAnchor(chain.anchorFile, anchor);
  return anchor;
}

/** Anchors the chain's end now and then (see anchorChainEnd); stop() ends it. */
export function startChainAnchoring(db: Knex, opts: { everyMs: number; onError: (err: unknown) => void }): { stop(): void } {
  const run = () => void anchorChainEnd(db).catch(opts.onError);
  run();
  const timer = setInterval(run, opts.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export type ChainProblem =
  | { kind: 'content-altered' | 'link-broken'; entryId: number }
  /** An anchor names an entry the log does not hold: the entries after `after` (the last one before it) were cut. */
  | { kind: 'entries-missing'; after: number | null; anchor: ChainAnchor }
  /** An anchored entry has another hash than when it was anchored. */
  | { kind: 'anchor-mismatch'; anchor: ChainAnchor }
  | { kind: 'anchor-unreadable'; line: number }
  /** The log has entries but the anchor file none: entries cut from the end could not be noticed. */
  | { kind: 'no-anchor' };

export interface ChainVerdict {
  ok: boolean;
  /** Entries read (all of them when the chain holds; up to the first bad one otherwise). */
  entries: number;
  lastEntry: { id: number; hash: string } | null;
  latestAnchor: ChainAnchor | null;
  anchorsChecked: number;
  anchorFile: string;
  problem: ChainProblem | null;
}

const BATCH = 1000;
const ANCHOR_BATCH = 500;

/** Walks the chain in id order and names the first entry whose keyed hash or link does not hold. */
async function walkChain(db: Knex, key: Buffer): Promise<{ entries: number; lastEntry: ChainVerdict['lastEntry']; problem: ChainProblem | null }> {
  let prevHash = GENESIS;
  let lastEntry: ChainVerdict['lastEntry'] = null;
  let entries = 0;
  for (;;) {
    const rows: StoredEntry[] = await db('audit_log').where('id', '>', lastEntry?.id ?? 0).orderBy('id').limit(BATCH);
    for (const row of rows) {
      entries++;
      const id = Number(row.id);
      if (row.prev_hash !== prevHash) return { entries, lastEntry, problem: { kind: 'link-broken', entryId: id } };
      if (entryHash(key, prevHash, contentOf(row)) !== row.hash) return { entries, lastEntry, problem: { kind: 'content-altered', entryId: id } };
      prevHash = row.hash;
      lastEntry = { id, hash: row.hash };
    }
    if (rows.length < BATCH) return { entries, lastEntry, problem: null };
  }
}

/** Compares every anchor in the file with the entry it names, a batch of anchors per query. */
async function compareAnchors(db: Knex, file: string, hasEntries: boolean): Promise<{ checked: number; latest: ChainAnchor | null; problem: ChainProblem | null }> {
  let checked = 0;
  let latest: ChainAnchor | null = null;
  let batch: ChainAnchor[] = [];
  const firstMismatch = async (): Promise<ChainProblem | null> => {
    const rows: Array<{ id: number; hash: string }> = await db('audit_log').whereIn('id', batch.map((a) => a.seq)).select('id', 'hash');
    const hashOf = new Map(rows.map((r) => [Number(r.id), r.hash]));
    for (const anchor of batch) {
      const hash = hashOf.get(anchor.seq);
      if (hash === undefined) {
        const before = await db('audit_log').where('id', '<', anchor.seq).max({ id: 'id' }).first();
        return { kind: 'entries-missing', after: before?.id == null ? null : Number(before.id), anchor };
      }
      if (hash !== anchor.hash) return { kind: 'anchor-mismatch', anchor };
    }
    batch = [];
    return null;
  };
  for await (const { line, anchor } of readAnchors(file)) {
    if (!anchor) return { checked, latest, problem: { kind: 'anchor-unreadable', line } };
    checked++;
    if (!latest || anchor.seq > latest.seq) latest = anchor;
    batch.push(anchor);
    if (batch.length === ANCHOR_BATCH) {
      const problem = await firstMismatch();
      if (problem) return { checked, latest, problem };
    }
  }
  const problem = batch.length ? await firstMismatch() : null;
  if (problem) return { checked, latest, problem };
  return { checked, latest, problem: checked === 0 && hasEntries ? { kind: 'no-anchor' } : null };
}

/**
 * Verifies the whole chain: every entry's keyed hash and link, then every anchor against the entry it
 * names, so that entries cut from the end of the log show as missing.
 */
export async function verifyChain(db: Knex): Promise<ChainVerdict> {
  const chain = chainOf(db);
  const walked = await walkChain(db, chain.key);
  const anchors = walked.problem
    ? { checked: 0, latest: await readLatestAnchor(chain.anchorFile), problem: null }
    : await compareAnchors(db, chain.anchorFile, walked.entries > 0);
  const problem = walked.problem ?? anchors.problem;
  return {
    ok: problem === null,
    entries: walked.entries,
    lastEntry: walked.lastEntry,
    latestAnchor: anchors.latest,
    anchorsChecked: anchors.checked,
    anchorFile: chain.anchorFile,
    problem,
  };
}

/** What the audit log keeps of a verification: its outcome, not the anchor file's path. */
function verificationRecord(verdict: ChainVerdict): Record<string, unknown> {
  const p = verdict.problem;
  return {
    result: verdict.ok ? 'intact' : 'broken',
    entries: verdict.entries,
    anchorsChecked: verdict.anchorsChecked,
    latestAnchorSeq: verdict.latestAnchor?.seq ?? null,
    ...(p ? { problem: p.kind } : {}),
    ...(p && 'entryId' in p ? { problemEntry: p.entryId } : {}),
    ...(p && 'anchor' in p ? { problemEntry: p.anchor.seq } : {}),
    ...(p?.kind === 'entries-missing' ? { missingAfter: p.after } : {}),
  };
}

/** Verifies the chain and records who did and what was found, in the chain itself. */
export async function verifyAndRecord(db: Knex, actor: AuditActor): Promise<ChainVerdict> {
  const verdict = await verifyChain(db);
  await recordAuditEvent(db, actor, { action: 'audit_log.verified', entityType: 'audit_log', after: verificationRecord(verdict) });
  return verdict;
}
