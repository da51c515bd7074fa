import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { lockChain } from '../../db/dialect.ts';

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

interface StoredEntry {
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

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK_KEY = 7_001;
/** Within SQLite's limit of 500 terms in the compound SELECT that knex builds for a multi-row insert. */
const AUDIT_INSERT_CHUNK = 200;
export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system', ip: null };

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function entryHash(prevHash: string, e: Omit<StoredEntry, 'id' | 'prev_hash' | 'hash'>): string {
  // Field order is fixed here, so the hash does not depend on how a driver orders columns.
  const content = JSON.stringify([e.at, e.actor_id, e.actor_name, e.action, e.entity_type, e.entity_id, e.before_json, e.after_json, e.ip]);
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

/**
 * Appends several entries by one actor in order, inside the caller's transaction, with one lock, one
 * read of the chain's end and multi-row inserts: a bulk import writes thousands of entries, and one
 * round trip per entry kept the transaction (and the chain lock) for seconds.
 */
export async function recordAuditEntries(trx: Knex.Transaction, actor: AuditActor, inputs: AuditEntryInput[]): Promise<void> {
  if (inputs.length === 0) return;
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
    const entry = { ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) };
    prevHash = entry.hash;
    return entry;
  });
  // Rows of one multi-row insert get ascending ids in the order given, which is the chain's order.
  for (let i = 0; i < rows.length; i += AUDIT_INSERT_CHUNK) await trx('audit_log').insert(rows.slice(i, i + AUDIT_INSERT_CHUNK));
}

/** Appends one entry to the hash chain, inside the caller's transaction. */
export function recordAudit(trx: Knex.Transaction, actor: AuditActor, input: AuditEntryInput): Promise<void> {
  return recordAuditEntries(trx, actor, [input]);
}

/** Records an event that is not part of another change (a login, a logout) in its own transaction. */
export async function recordAuditEvent(db: Knex, actor: AuditActor, input: AuditEntryInput): Promise<void> {
  await db.transaction((trx) => recordAudit(trx, actor, input));
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; problem: 'content-altered' | 'link-broken' };

const BATCH = 1000;

/** Walks the whole chain in id order and names the first entry whose hash or link does not hold. */
export async function verifyChain(db: Knex): Promise<ChainVerdict> {
  let prevHash = GENESIS;
  let lastId = 0;
  let count = 0;
  for (;;) {
    const rows: StoredEntry[] = await db('audit_log').where('id', '>', lastId).orderBy('id').limit(BATCH);
    for (const row of rows) {
      count++;
      if (row.prev_hash !== prevHash) return { ok: false, entries: count, brokenAt: row.id, problem: 'link-broken' };
      const { id: _id, prev_hash: _p, hash, ...content } = row;
      if (entryHash(prevHash, { ...content, at: new Date(content.at).toISOString() }) !== hash) {
        return { ok: false, entries: count, brokenAt: row.id, problem: 'content-altered' };
      }
      prevHash = hash;
      lastId = row.id;
    }
    if (rows.length < BATCH) return { ok: true, entries: count };
  }
}
