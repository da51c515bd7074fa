import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../../db/connection.ts';
import { dropAppendOnly, makeAppendOnly } from '../../../db/dialect.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { seedDemoCore } from '../../../db/seeds/demo.ts';
import { ROOT_DIR } from '../../config.ts';
import { DEMO_PASSWORD, postForm, signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { freshDatabase } from '../../../test/db.ts';
import { recordAuditEvent, verifyChain } from '../../audit/chain.ts';

/** Tampering as an attacker with database access would: lift the guard, change history, put the guard back. */
async function tamper(db: Knex, change: (db: Knex) => Promise<unknown>): Promise<void> {
  await dropAppendOnly(db, 'audit_log');
  await change(db);
  await makeAppendOnly(db, 'audit_log');
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
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, brokenAt: target.id, problem: 'content-altered' });
  });

  it('detects a deleted entry at the entry after it', async () => {
    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '2' }).first();
    const next = await ctx.db('audit_log').where('id', '>', target.id).orderBy('id').first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: target.id }).del());
    expect(await verifyChain(ctx.db)).to.deep.include({ ok: false, brokenAt: next.id, problem: 'link-broken' });
  });

  it('shows the auditor the verdict on the audit page, the admin nothing', async () => {
    const auditor = await signIn(ctx.app, 'auditor');
    const list = await auditor.get('/audit');
    expect(list.status).to.equal(200);
    expect(list.text).to.include('test.event');
    const ok = await postForm(auditor, '/audit', '/audit/verify', {});
    expect(ok.text).to.include('哈希链完整');
    const target = await ctx.db('audit_log').where({ action: 'test.event', entity_id: '4' }).first();
    await tamper(ctx.db, (db) => db('audit_log').where({ id: target.id }).update({ actor_name: 'someone-else' }));
    const broken = await postForm(auditor, '/audit', '/audit/verify', {});
    expect(broken.text).to.include(`第一条异常记录为 #${target.id}`);
    const admin = await signIn(ctx.app, 'admin');
    expect((await admin.get('/audit')).status).to.equal(403);
  });
});

describe('audit:verify, token:create and backup on the command line', function () {
  this.timeout(60_000);
  const cli = (args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'cli.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), DEMO_PASSWORD },
      encoding: 'utf8',
    });

  /** A database another process can open: the PostgreSQL test database, or a SQLite file. */
  async function sharedDatabase(): Promise<{ db: Knex; url: string; drop(): Promise<void> }> {
    const fresh = await freshDatabase();
    if (fresh.url) return { db: fresh.db, url: fresh.url, drop: fresh.drop };
    await fresh.drop();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'il-cli-')), 'cli.sqlite');
    const db = createDb({ client: 'sqlite', filename: file });
    await migrateLatest(db);
    return { db, url: `sqlite://${file}`, drop: () => db.destroy() };
  }

  it('verifies the chain, names a broken entry, prints only a token, and backs up SQLite or points to pg_dump', async () => {
    const shared = await sharedDatabase();
    try {
      await seedDemoCore(shared.db, DEMO_PASSWORD);

      const good = cli(['audit:verify'], shared.url);
      expect(good.status, good.stderr).to.equal(0);
      expect(good.stdout).to.match(/Audit chain intact: \d+ entries verified/);

      const token = cli(['token:create', '--user', 'officer1'], shared.url);
      expect(token.status, token.stderr).to.equal(0);
      expect(token.stdout).to.match(/^il_[A-Za-z0-9_-]{43}\n$/);
      await shared.db('users').where({ username: 'officer2' }).update({ must_change_password: true });
      const owed = cli(['token:create', '--user', 'officer2'], shared.url);
      expect(owed.status).to.equal(1);
      expect(owed.stderr).to.include('Refused: userId: officer2 must first sign in and replace the password an admin set');

      const out = path.join(mkdtempSync(path.join(tmpdir(), 'il-backup-')), 'copy.sqlite');
      const backup = cli(['backup', '--out', out], shared.url);
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
      const bad = cli(['audit:verify'], shared.url);
      expect(bad.status).to.equal(1);
      expect(bad.stdout).to.include(`BROKEN at entry #${last.id}`);
    } finally {
      await shared.drop();
    }
  });
});
