import type { Knex } from 'knex';
import { dropColumn, setStringLength } from '../dialect.ts';
import { readIntegrityKey } from '../../server/config.ts';
import { isSealedTotpSecret, keyPlainRecoveryHash, openTotpSecret, sealTotpSecret } from '../../server/auth/mfa-secrets.ts';

/*
 * Second-factor secrets leave the database's reach: TOTP secrets stored in plain base32 are encrypted,
 * and recovery codes stored as plain SHA-256 are keyed (HMAC over that hash), both under keys derived
 * from INTEGRITY_KEY. A migration is not handed the app's configuration, so it reads INTEGRITY_KEY
 * exactly as the app does (readIntegrityKey), and only when there is something to convert.
 * totp_last_step remembers the last accepted TOTP time step, so that no code signs in twice.
 */

interface MfaRow {
  id: number;
  totp_secret: string | null;
  recovery_codes: string | null;
}

export async function up(db: Knex): Promise<void> {
  // A sealed secret (IV, ciphertext and tag in base64url) is longer than the 32 base32 characters.
  await setStringLength(db, 'users', 'totp_secret', 200);
  await db.schema.alterTable('users', (t) => {
    t.integer('totp_last_step');
  });

  const rows: MfaRow[] = await db('users').whereNotNull('totp_secret').orWhereNotNull('recovery_codes').orderBy('id').select('id', 'totp_secret', 'recovery_codes');
  if (rows.length === 0) return;
  const integrityKey = readIntegrityKey();
  for (const row of rows) {
    const plainHashes: unknown = row.recovery_codes === null ? null : JSON.parse(row.recovery_codes);
    if (plainHashes !== null && !(Array.isArray(plainHashes) && plainHashes.every((h) => typeof h === 'string'))) {
      throw new Error(`users row ${row.id}: recovery_codes is not a JSON list of hashes`);
    }
    await db('users')
      .where({ id: row.id })
      .update({
        totp_secret: row.totp_secret === null || isSealedTotpSecret(row.totp_secret) ? row.totp_secret : sealTotpSecret(integrityKey, row.id, row.totp_secret),
        recovery_codes: plainHashes === null ? null : JSON.stringify((plainHashes as string[]).map((h) => keyPlainRecoveryHash(integrityKey, h))),
      });
  }
}

export async function down(db: Knex): Promise<void> {
  const keyed = await db('users').whereNotNull('recovery_codes').count({ n: '*' }).first();
  if (Number(keyed?.n ?? 0) > 0) {
    throw new Error(`${keyed!.n} users have recovery codes stored as keyed hashes, which cannot be turned back into plain hashes, so this migration is not undone`);
  }
  const sealed: MfaRow[] = await db('users').whereNotNull('totp_secret').orderBy('id').select('id', 'totp_secret', 'recovery_codes');
  const integrityKey = sealed.length > 0 ? readIntegrityKey() : '';
  for (const row of sealed) {
    await db('users').where({ id: row.id }).update({ totp_secret: openTotpSecret(integrityKey, row.id, row.totp_secret!) });
  }
  await dropColumn(db, 'users', 'totp_last_step');
  await setStringLength(db, 'users', 'totp_secret', 64);
}
