import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { openTotpSecret } from '../server/auth/mfa-secrets.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { currentTotp, newTotpSecret } from '../server/features/account/totp.ts';
import { emptyDatabase, type TestDatabase } from '../test/db.ts';
import { csrfFrom, DEMO_PASSWORD, testConfig } from '../test/helpers.ts';
import { migrateLatest, migrateUpTo } from './migrate.ts';

/*
 * Users enrolled before second-factor secrets were sealed have their TOTP secret in plain base32 and
 * their recovery codes as plain SHA-256. The migration seals and keys them with INTEGRITY_KEY, read
 * from the environment as the app reads it; the holders go on signing in with what they have.
 */

const MIGRATION = '20261201000300_mfa_secrets_keyed.ts';
const AT = '2026-11-29T02:00:00.000Z';
const plainHash = (code: string) => createHash('sha256').update(code).digest('hex');

describe(`migration ${MIGRATION}`, () => {
  const config = testConfig();
  const secret = newTotpSecret();
  const recoveryCodes = ['3F2A1-9C0DE', '77B0C-1A2B3'];
  let test: TestDatabase;
  let db: Knex;
  let app: Express;
  let userId: number;
  let keyBefore: string | undefined;

  before(async () => {
    keyBefore = process.env.INTEGRITY_KEY;
    process.env.INTEGRITY_KEY = config.integrityKey;
    test = await emptyDatabase();
    db = test.db;
    await migrateUpTo(db, '20261130000300_jobs.ts');
    const password_hash = await hashPassword(DEMO_PASSWORD);
    [{ id: userId }] = await db('users')
      .insert({ username: 'auditor', display_name: '审计', password_hash, role: 'auditor', totp_secret: secret, totp_enabled: true, recovery_codes: JSON.stringify(recoveryCodes.map(plainHash)), created_at: AT, updated_at: AT })
      .returning('id');
    await db('users').insert({ username: 'officer1', display_name: '王芳', password_hash, role: 'officer', created_at: AT, updated_at: AT });
    // A row that refers to the user: SQLite refuses to rebuild a table that other rows refer to.
    await db('api_tokens').insert({ user_id: userId, label: 'ERP', token_hash: 'f'.repeat(64), expires_at: AT, created_at: AT });
    await migrateLatest(db);
    app = await createApp({ db, config });
  });
  after(async () => {
    if (keyBefore === undefined) delete process.env.INTEGRITY_KEY;
    else process.env.INTEGRITY_KEY = keyBefore;
    await test.drop();
  });

  async function signInWith(code: string) {
    const agent = request.agent(app);
    const token = await csrfFrom(agent);
    const password = await agent.post('/login').type('form').send({ username: 'auditor', password: DEMO_PASSWORD, _csrf: token });
    expect(password.headers.location).to.equal('/login/mfa');
    const mfaToken = await csrfFrom(agent, '/login/mfa');
    return agent.post('/login/mfa').type('form').send({ code, _csrf: mfaToken });
  }

  it('seals the TOTP secret and keys the recovery-code hashes under INTEGRITY_KEY', async () => {
    const row = await db('users').where({ id: userId }).first();
    expect(row.totp_secret).to.not.include(secret);
    expect(openTotpSecret(config.integrityKey, userId, row.totp_secret)).to.equal(secret);
    const stored: string[] = JSON.parse(row.recovery_codes);
    expect(stored).to.have.length(2);
    for (const code of recoveryCodes) expect(stored).to.not.include(plainHash(code));
    const untouched = await db('users').where({ username: 'officer1' }).first();
    expect([untouched.totp_secret, untouched.recovery_codes]).to.deep.equal([null, null]);
  });

  it('lets the user sign in with the same authenticator and the same recovery codes', async () => {
    expect((await signInWith(currentTotp(secret, 'auditor'))).status).to.equal(303);
    expect((await signInWith(recoveryCodes[1]!)).status).to.equal(303);
  });

  it('is not undone while recovery codes are keyed (their plain hashes are gone); without them, gives the secrets back', async () => {
    const refused = await db.migrate.down({ name: MIGRATION }).then(() => 'undone', (err: Error) => err.message);
    expect(refused).to.include('1 users have recovery codes stored as keyed hashes');
    await db('users').where({ id: userId }).update({ recovery_codes: null });
    await db.migrate.down({ name: MIGRATION });
    expect((await db('users').where({ id: userId }).first()).totp_secret).to.equal(secret);
    await migrateLatest(db);
    expect(openTotpSecret(config.integrityKey, userId, (await db('users').where({ id: userId }).first()).totp_secret)).to.equal(secret);
  });
});
