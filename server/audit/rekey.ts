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
  for await (const row of entriesInOrder(trx)) {
    const hash = entryHash(key, keyedPrev, contentOf(row));
    await trx('audit_log').where({ id: row.id }).update({ prev_hash: keyedPrev, hash });
    keyedPrev = hash;
  }
  await makeAppendOnly(trx, 'audit_log');
  await recordAudit(trx, SYSTEM_ACTOR, { action: 'audit_log.rekeyed', entityType: 'audit_log', after: { entries: count, legacyHead } });
  return count;
}
