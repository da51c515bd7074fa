import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../../db/connection.ts';
import { dropAppendOnly, makeAppendOnly } from '../../../db/dialect.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { seedDemoCore } from '../../../db/seeds/demo.ts';
import { ROOT_DIR } from '../../config.ts';
import { DEMO_PASSWORD, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { freshDatabase, TEST_INTEGRITY_KEY } from '../../../test/db.ts';
import { anchorChainEnd, GENESIS, hashedContent, latestAnchor, recordAudit, recordAuditEvent, useAuditChain, verifyChain, type ChainAnchor, type StoredEntry } from '../../audit/chain.ts';

/** Tampering as an attacker with database access would: lift the guard, change history, put the guard back. */
async function tamper(db: Knex, change: (db: Knex) => Promise<unknown>): Promise<void> {
  await dropAppendOnly(db, 'audit_log');
  await change(db);
  await makeAppendOnly(db, 'audit_log');
}

/** What an attacker without the key can do after changing an entry: recompute every hash after it as SHA-256 of the link and the content. */
async function recomputeHashes(db: Knex): Promise<void> {
  let prev = GENESIS;
  for (const row of (await db('audit_log').orderBy('id')) as StoredEntry[]) {
    const hash = createHash('sha256').update(prev).update(hashedContent({ ...row, at: new Date(row.at).toISOString() })).digest('hex');
    await db('audit_log').where({ id: row.id }).update({ prev_hash: prev, hash });
    prev = hash;
  }
}

function anchorsIn(file: string): ChainAnchor[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChainAnchor);
}

describe('audit log', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await startTestApp();
    for (let i = 1; i <= 5; i++) {
      await recordAuditEvent(ctx.db, { id: null, username: 'tester', ip: '10.0.0.1' }, { action: 'test.event', entityType: 'thing', entityId: i, after: { n: i } });
    }
  });
  afterEach(() => ctx.close());

  it('verifies an untouched chain', async () => {
    const verdict = await verifyChain(ctx.db);
    expect(verdict.ok).to.equal(true);
    expect(verdict.entries).to.be.greaterThan(5);
  });

  it('records sign-ins, failures and sign-outs with actor, IP and UTC time', async () => {
    const agent = await signIn(ctx.app, 'auditor');
    await postForm(agent, '/account/security', '/logout', {});
    await signIn(ctx.app, 'auditor', 'Not-the#password1').catch(() => undefined);
    const rows = await ctx.db('audit_log').where({ actor_name: 'auditor' }).orderBy('id');
    expect(rows.map((r: { action: string }) => r.action)).to.deep.equal(['login.succeeded', 'logout', 'login.failed']);
    for (const row of rows) {
      expect(row.ip).to.be.a('string').with.length.greaterThan(0);
      expect(row.at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });

  it('is refused UPDATE and DELETE by the database itself', async () => {
    const first = await ctx.db('audit_log').orderBy('id').first();
    let updateError: unknown;
    try {
      await ctx.db('audit_log').where({ id: first.id }).update({ action: 'rewritten' });
    } catch (err) {
      updateError = err;
    }
    expect(String((updateError as Error)?.message)).to.include('append-only');
    let deleteError: unknown;
    try {
      await ctx.db('audit_log').where({ id: first.id }).del();
    } catch (err) {
      deleteError = err;
    }
    expect(String((deleteError as Error)?.message)).to.include('append-only');
    expect((await ctx.db('audit_log').where({ id: first.id }).first()).action).to.equal(first.action);
  });

  it('detects an altered entry and names it', async () => {
    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '3' }).first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: target.id }).update({ after_json: JSON.stringify({ n: 300 }) }));
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, problem: { kind: 'content-altered', entryId: target.id } });
  });

  it('detects a deleted entry at the entry after it', async () => {
    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '2' }).first();
    const next = await ctx.db('audit_log').where('id', '>', target.id).orderBy('id').first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: target.id }).del());
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, problem: { kind: 'link-broken', entryId: next.id } });
  });

  it('detects an entry edited with every hash after it recomputed: the hashes are keyed', async () => {
    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '3' }).first();
    await tamper(ctx.db, async (db) => {
      await db('audit_log').where({ id: target.id }).update({ after_json: JSON.stringify({ n: 300 }) });
      await recomputeHashes(db);
    });
    const verdict = await verifyChain(ctx.db);
    expect(verdict.ok).to.equal(false);
    expect(verdict.problem).to.have.property('kind', 'content-altered');
  });

  it('says which entries are missing when the end of the log was cut, even after new entries were chained on', async () => {
    const entries: Array<{ id: number }> = await ctx.db('audit_log').orderBy('id').select('id');
    const kept = entries.at(-3)!.id;
    await tamper(ctx.db, (db) => db('audit_log').where('id', '>', kept).del());
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, problem: { kind: 'entries-missing', after: kept, anchor: anchorsIn(ctx.anchorFile).find((a) => a.seq === kept + 1) } });

    // The app writes on, chaining onto what is left: the chain holds, the anchors still name the cut entries.
    await recordAuditEvent(ctx.db, { id: null, username: 'tester', ip: null }, { action: 'test.event', entityType: 'thing', entityId: 6 });
    const verdict = await verifyChain(ctx.db);
    expect(verdict.problem).to.deep.include({ kind: 'entries-missing', after: kept });
  });

  it('detects an anchored entry replaced by one written with the key', async () => {
    const last = await ctx.db('audit_log').orderBy('id', 'desc').first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: last.id }).del());
    // Someone holding the key writes a different last entry under the same number.
    await ctx.db.transaction(async (trx) => {
      await recordAudit(trx, { id: null, username: 'tester', ip: null }, { action: 'test.event', entityType: 'thing', entityId: 5, after: { n: 500 } });
      await tamper(trx as unknown as Knex, (db) => db('audit_log').where('id', '>', last.id).update({ id: last.id }));
    });
    expect((await verifyChain(ctx.db)).problem).to.deep.include({ kind: 'anchor-mismatch' });
  });

  it('anchors each committed write outside the database, and nothing that was rolled back', async () => {
    const last = await ctx.db('audit_log').orderBy('id', 'desc').first();
    expect(anchorsIn(ctx.anchorFile).at(-1)).to.include({ seq: last.id, hash: last.hash });
    expect(await latestAnchor(ctx.db)).to.include({ seq: last.id, hash: last.hash });

    const before = readFileSync(ctx.anchorFile, 'utf8');
    await ctx.db
      .transaction(async (trx) => {
        await recordAudit(trx, { id: null, username: 'tester', ip: null }, { action: 'test.event', entityType: 'thing', entityId: 7 });
        throw new Error('the change fails after its audit entry');
      })
      .catch(() => undefined);
    expect(readFileSync(ctx.anchorFile, 'utf8')).to.equal(before);

    // Two writes of one transaction: one anchor, naming the last.
    const anchorsBefore = anchorsIn(ctx.anchorFile).length;
    await ctx.db.transaction(async (trx) => {
      await recordAudit(trx, { id: null, username: 'tester', ip: null }, { action: 'test.event', entityType: 'thing', entityId: 8 });
      await recordAudit(trx, { id: null, username: 'tester', ip: null }, { action: 'test.event', entityType: 'thing', entityId: 9 });
    });
    const newest = await ctx.db('audit_log').orderBy('id', 'desc').first();
    expect(anchorsIn(ctx.anchorFile).slice(anchorsBefore).map((a) => a.seq)).to.deep.equal([newest.id]);
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
  });

  it('keeps an anchor file abreast of entries it did not write, and never anchors a cut log lower down', async () => {
    writeFileSync(ctx.anchorFile, '');
    const last = await ctx.db('audit_log').orderBy('id', 'desc').first();
    expect(await anchorChainEnd(ctx.db)).to.include({ seq: last.id, hash: last.hash });
    expect(await anchorChainEnd(ctx.db)).to.include({ seq: last.id });
    expect(anchorsIn(ctx.anchorFile)).to.have.length(1);

    await tamper(ctx.db, (db) => db('audit_log').where({ id: last.id }).del());
    await anchorChainEnd(ctx.db);
    expect(anchorsIn(ctx.anchorFile)).to.have.length(1);
  });

  it('reports an anchor file without anchors, and a line that is not an anchor', async () => {
    writeFileSync(ctx.anchorFile, '');
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, problem: { kind: 'no-anchor' } });
    await anchorChainEnd(ctx.db);
    appendFileSync(ctx.anchorFile, '{"seq":"the last one"}\n');
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, problem: { kind: 'anchor-unreadable', line: 2 } });
  });

  it('shows the auditor the verdict on the audit page, the admin nothing', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    const list = await auditor.get('/audit');
    expect(list.status).to.equal(200);
    expect(list.text).to.include('test.event');
    const anchor = (await latestAnchor(ctx.db))!;
    const ok = await postForm(auditor, '/audit', '/audit/verify', {});
    expect(ok.text).to.include('哈希链完整');
    expect(ok.text).to.include(`#${anchor.seq}`).and.include(anchor.hash);
    const verified = await ctx.db('audit_log').orderBy('id', 'desc').first();
    expect(verified).to.include({ action: 'audit_log.verified', actor_name: 'auditor' });
    expect(JSON.parse(verified.after_json)).to.include({ result: 'intact' });

    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '4' }).first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: target.id }).update({ actor_name: 'someone-else' }));
    const broken = await postForm(auditor, '/audit', '/audit/verify', {});
    expect(broken.text).to.include(`第一条异常记录为 #${target.id}`);
    const admin = await signIn(ctx.app, 'admin');
    expect((await admin.get('/audit')).status).to.equal(403);
  });

  it('tells the auditor, in English too, which entries are missing from the end', async () => {
    const last = await ctx.db('audit_log').orderBy('id', 'desc').first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: last.id }).del());
    const auditor = await signIn(ctx.app, 'auditor');
    const zh = await postForm(auditor, '/audit', '/audit/verify', {});
    expect(zh.text).to.include(`#${last.id - 1} 之后的记录缺失`);
    const en = await postForm(auditor, '/audit?lang=en', '/audit/verify?lang=en', {});
    expect(en.text).to.include(`Entries after #${last.id - 1} are missing`);
  });
});

describe('audit:verify, token:create and backup on the command line', function () {
  this.timeout(60_000);
  const cli = (args: string[], shared: { url: string; anchorFile: string }) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'cli.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: shared.url, AUDIT_ANCHOR_FILE: shared.anchorFile, NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), INTEGRITY_KEY: TEST_INTEGRITY_KEY, DEMO_PASSWORD },
      encoding: 'utf8',
    });

  /** A database another process can open: the PostgreSQL test database, or a SQLite file; with its anchor file. */
  async function sharedDatabase(): Promise<{ db: Knex; url: string; anchorFile: string; drop(): Promise<void> }> {
    const fresh = await freshDatabase();
    if (fresh.url) return { db: fresh.db, url: fresh.url, anchorFile: fresh.anchorFile, drop: fresh.drop };
    await fresh.drop();
    const dir = mkdtempSync(path.join(tmpdir(), 'il-cli-'));
    const file = path.join(dir, 'cli.sqlite');
    const db = createDb({ client: 'sqlite', filename: file });
    const anchorFile = path.join(dir, 'audit-anchors.jsonl');
    useAuditChain(db, { integrityKey: TEST_INTEGRITY_KEY, anchorFile });
    await migrateLatest(db);
    return { db, url: `sqlite://${file}`, anchorFile, drop: () => db.destroy() };
  }

  it('verifies the chain, names a broken entry, prints only a token, and backs up SQLite or points to pg_dump', async () => {
    const shared = await sharedDatabase();
    try {
      await seedDemoCore(shared.db, DEMO_PASSWORD);

      const good = cli(['audit:verify'], shared);
      expect(good.status, good.stderr).to.equal(0);
      expect(good.stdout).to.match(/The chain holds: \d+ entries checked, none altered/);
      const seeded = await shared.db('audit_log').where({ action: 'demo.seeded' }).first();
      expect(good.stdout).to.include(`the latest names entry #${seeded.id} (${seeded.hash})`);
      expect(await shared.db('audit_log').orderBy('id', 'desc').first()).to.include({ action: 'audit_log.verified', actor_name: 'cli' });

      const token = cli(['token:create', '--user', 'officer1'], shared);
      expect(token.status, token.stderr).to.equal(0);
      expect(token.stdout).to.match(/^il_[A-Za-z0-9_-]{43}\n$/);
      await shared.db('users').where({ username: 'officer2' }).update({ must_change_password: true });
      const owed = cli(['token:create', '--user', 'officer2'], shared);
      expect(owed.status).to.equal(1);
      expect(owed.stderr).to.include('Refused: userId: officer2 must first sign in and replace the password an admin set');

      const out = path.join(mkdtempSync(path.join(tmpdir(), 'il-backup-')), 'copy.sqlite');
      const backup = cli(['backup', '--out', out], shared);
      if (shared.url.startsWith('postgres')) {
        expect(backup.status).to.equal(1);
        expect(backup.stderr).to.include('pg_dump');
      } else {
        expect(backup.status, backup.stderr).to.equal(0);
        const copy = createDb({ client: 'sqlite', filename: out });
        expect(Number((await copy('users').count({ n: '*' }))[0]!.n)).to.equal(5);
        await copy.destroy();
      }

      const last = await shared.db('audit_log').orderBy('id', 'desc').first();
      await tamper(shared.db, (d) => d('audit_log').where({ id: last.id }).update({ ip: '6.6.6.6' }));
      const bad = cli(['audit:verify'], shared);
      expect(bad.status).to.equal(1);
      expect(bad.stdout).to.include(`the first bad entry is #${last.id}`);

      await tamper(shared.db, (d) => d('audit_log').where('id', '>=', last.id).del());
      const cut = cli(['audit:verify'], shared);
      expect(cut.status).to.equal(1);
      expect(cut.stdout).to.include(`Entries after #${last.id - 1} are missing`);
    } finally {
      await shared.drop();
    }
  });
});
