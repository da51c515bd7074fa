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
import { recordAuditEvent, verifyChain } from './chain.ts';

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
      expect(row.ip).to.be.a('string').and.not.empty;
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

describe('audit:verify and backup on the command line', function () {
  this.timeout(60_000);
  const sqliteOnly = process.env.TEST_DATABASE_URL ? it.skip : it;
  const cli = (args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'cli.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), DEMO_PASSWORD },
      encoding: 'utf8',
    });

  sqliteOnly('verifies the chain, names a broken entry, backs up the file and prints only a token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-cli-'));
    const file = path.join(dir, 'cli.sqlite');
    const db = createDb({ client: 'sqlite', filename: file });
    await migrateLatest(db);
    await seedDemoCore(db, DEMO_PASSWORD);
    await db.destroy();

    const good = cli(['audit:verify'], `sqlite://${file}`);
    expect(good.status).to.equal(0);
    expect(good.stdout).to.match(/Audit chain intact: \d+ entries verified/);

    const token = cli(['token:create', '--user', 'officer1'], `sqlite://${file}`);
    expect(token.status).to.equal(0);
    expect(token.stdout).to.match(/^il_[A-Za-z0-9_-]{43}\n$/);

    const backup = cli(['backup', '--out', path.join(dir, 'copy.sqlite')], `sqlite://${file}`);
    expect(backup.status).to.equal(0);
    const copy = createDb({ client: 'sqlite', filename: path.join(dir, 'copy.sqlite') });
    expect(Number((await copy('users').count({ n: '*' }))[0]!.n)).to.equal(5);
    await copy.destroy();

    const db2 = createDb({ client: 'sqlite', filename: file });
    const last = await db2('audit_log').orderBy('id', 'desc').first();
    await tamper(db2, (d) => d('audit_log').where({ id: last.id }).update({ ip: '6.6.6.6' }));
    await db2.destroy();
    const bad = cli(['audit:verify'], `sqlite://${file}`);
    expect(bad.status).to.equal(1);
    expect(bad.stdout).to.include(`BROKEN at entry #${last.id}`);
  });
});
