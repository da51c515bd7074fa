import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from '../../db/dialect.ts';
import { boundChainKey, contentOf, entryHash, GENESIS, hashedContent, recordAudit, SYSTEM_ACTOR, type StoredEntry } from './chain.ts';

/*
 * The switch from the unkeyed chain (plain SHA-256, which anyone with the database could recompute
 * after changing an entry) to the keyed one. The old chain is verified first: a chain that is already
 * broken is not re-keyed, since re-keying would hide where it was broken. Then every entry's hash is
 * recomputed with the key from the first entry on, and the switch is itself recorded, with the old
 * chain's last hash, so that a copy of the old log can still be matched against the new one.
 */

const BATCH = 1000;
/** Entries rewritten per UPDATE: 3 parameters each, within both engines' limits on parameters. */
const UPDATE_BATCH = 500;

/** The hash of the unkeyed chain, as entries were written before the switch. */
function legacyHash(prevHash: string, row: StoredEntry): string {
  return createHash('sha256').update(prevHash).update(hashedContent(contentOf(row))).digest('hex');
}

async function* entriesInOrder(trx: Knex.Transaction): AsyncGenerator<StoredEntry> {
  let lastId = 0;
  for (;;) {
    const rows: StoredEntry[] = await trx('audit_log').where('id', '>', lastId).orderBy('id').limit(BATCH);
    for (const row of rows) yield row;
    if (rows.length < BATCH) return;
    lastId = Number(rows.at(-1)!.id);
  }
}

/**
 * Writes new hashes for many entries in one UPDATE … FROM (VALUES …), which both engines understand
 * (the columns of VALUES are column1, column2, … on both): one statement per entry took minutes for
 * a large log on PostgreSQL. Returns an empty batch for the next ones.
 */
async function writeHashes(trx: Knex.Transaction, rows: Array<[number, string, string]>): Promise<Array<[number, string, string]>> {
  const values = rows.map(() => '(CAST(? AS INTEGER), ?, ?)').join(', ');
  await trx.raw(`UPDATE audit_log SET prev_hash = v.column2, hash = v.column3 FROM (VALUES ${values}) AS v WHERE audit_log.id = v.column1`, rows.flat());
  return [];
}

/** Thrown when the unkeyed chain does not hold: the migration stops and nothing is changed. */
export class LegacyChainBroken extends Error {
  constructor(readonly entryId: number) {
    super(
      `The audit log's unkeyed hash chain is broken at entry #${entryId}, so it was not re-keyed (that would hide the break). ` +
        'Restore audit_log from a backup taken before the break, or have the break investigated, before starting again.',
    );
    this.name = 'LegacyChainBroken';
  }
}

/**
 * Re-keys the chain from its first entry in one transaction, after verifying it unkeyed; returns how
 * many entries were re-keyed. An empty log (a new installation) needs neither work nor the key.
 */
export function rekeyLegacyChain(db: Knex): Promise<number> {
  return db.transaction(async (trx) => rekeyInTransaction(trx));
}

async function rekeyInTransaction(trx: Knex.Transaction): Promise<number> {
  let prev = GENESIS;
  let count = 0;
  for await (const row of entriesInOrder(trx)) {
    if (row.prev_hash !== prev || legacyHash(prev, row) !== row.hash) throw new LegacyChainBroken(Number(row.id));
    prev = row.hash;
    count++;
  }
  if (count === 0) return 0;
  const legacyHead = prev;
  const key = boundChainKey(trx);

  await dropAppendOnly(trx, 'audit_log');
  let keyedPrev = GENESIS;
  let rekeyed: Array<[number, string, string]> = [];
  for await (const row of entriesInOrder(trx)) {
    const hash = entryHash(key, keyedPrev, contentOf(row));
    rekeyed.push([Number(row.id), keyedPrev, hash]);
    keyedPrev = hash;
    if (rekeyed.length === UPDATE_BATCH) rekeyed = await writeHashes(trx, rekeyed);
  }
  if (rekeyed.length) await writeHashes(trx, rekeyed);
  await makeAppendOnly(trx, 'audit_log');
  await recordAudit(trx, SYSTEM_ACTOR, { action: 'audit_log.rekeyed', entityType: 'audit_log', after: { entries: count, legacyHead } });
  return count;
}
