import type { Knex } from 'knex';
import { rekeyLegacyChain } from '../../server/audit/rekey.ts';

/**
 * The audit chain becomes keyed (HMAC under a key derived from INTEGRITY_KEY): an existing log is
 * verified as it was, re-keyed from its first entry and the switch recorded. A broken log stops the
 * migration unchanged. The key is the one bound to the database handle (useAuditChain).
 */
export async function up(db: Knex): Promise<void> {
  await rekeyLegacyChain(db);
}

/** The keyed hashes stay: the unkeyed chain cannot be restored without giving up what the key protects. */
export async function down(): Promise<void> {}
