import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { emptyDatabase, type TestDatabase } from '../test/db.ts';
import { latestAnchor, verifyChain } from '../server/audit/chain.ts';
import { dropAppendOnly, makeAppendOnly } from './dialect.ts';
import { migrateLatest, migrateUpTo } from './migrate.ts';

/*
 * The audit chain was unkeyed SHA-256 before 20261201000100_audit_chain_keyed: entries are written in
 * that shape at the migration before it, then the database is migrated up, on whichever engine the
 * suite runs on.
 */

const BEFORE = '20261130000300_jobs.ts';

/** Entries as the unkeyed chain wrote them: SHA-256 of the previous hash and the content, fields in a fixed order. */
async function writeUnkeyedChain(db: Knex, actions: string[]): Promise<string[]> {
  let prev = '0'.repeat(64);
  const hashes: string[] = [];
  for (const [i, action] of actions.entries()) {
    const row = { at: `2026-11-2${i}T02:00:00.000Z`, actor_id: null, actor_name: 'system', action, entity_type: 'system', entity_id: String(i + 1), before_json: null, after_json: JSON.stringify({ n: i }), ip: null };
    const content = JSON.stringify([row.at, row.actor_id, row.actor_name, row.action, row.entity_type, row.entity_id, row.before_json, row.after_json, row.ip]);
    const hash = createHash('sha256').update(prev).update(content).digest('hex');
    await db('audit_log').insert({ ...row, prev_hash: prev, hash });
    hashes.push(hash);
    prev = hash;
  }
  return hashes;
}

describe('migration 20261201000100_audit_chain_keyed', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await emptyDatabase();
    await migrateUpTo(test.db, BEFORE);
  });
  afterEach(() => test.drop());

  it('re-keys an intact unkeyed chain from its first entry and records the switch with the old head', async () => {
    const legacy = await writeUnkeyedChain(test.db, ['demo.seeded', 'login.succeeded', 'logout']);
    await migrateLatest(test.db);

    const rows = await test.db('audit_log').orderBy('id');
    expect(rows.map((r: { action: string }) => r.action)).to.deep.equal(['demo.seeded', 'login.succeeded', 'logout', 'audit_log.rekeyed']);
    expect(rows.slice(0, 3).map((r: { hash: string }) => r.hash)).to.not.include.members(legacy);
    expect(JSON.parse(rows[3].after_json)).to.deep.equal({ entries: 3, legacyHead: legacy[2] });
    expect(await verifyChain(test.db)).to.deep.include({ ok: true, entries: 4, anchorsChecked: 1 });
    expect(await latestAnchor(test.db)).to.include({ seq: rows[3].id, hash: rows[3].hash });
  });

  it('refuses to re-key a chain that is already broken, and changes nothing', async () => {
    const legacy = await writeUnkeyedChain(test.db, ['demo.seeded', 'login.succeeded', 'logout']);
    const second = await test.db('audit_log').orderBy('id').offset(1).first('id');
    await dropAppendOnly(test.db, 'audit_log');
    await test.db('audit_log').where({ id: second.id }).update({ after_json: JSON.stringify({ n: 99 }) });
    await makeAppendOnly(test.db, 'audit_log');

    let error: unknown;
    try {
      await migrateLatest(test.db);
    } catch (err) {
      error = err;
    }
    expect(String((error as Error)?.message)).to.include(`broken at entry #${second.id}`);
    expect((await test.db('audit_log').orderBy('id').select('hash')).map((r: { hash: string }) => r.hash)).to.deep.equal(legacy);
    expect(await test.db('knex_migrations').where({ name: '20261201000100_audit_chain_keyed.ts' }).first()).to.equal(undefined);
  });

  it('needs no key and writes nothing for a new installation', async () => {
    await migrateLatest(test.db);
    expect(await test.db('audit_log').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
