/**
 * Page benchmark: a ledger of S (≈2,000) and L (≈20,000) commitments with five milestones each, 60% in
 * officer1's agency, served by the app in a child process on loopback; each page is asked a bounded
 * number of times by concurrent connections (autocannon), and its requests a second, p50 and p99
 * latency and response size are reported. Not a test: the numbers depend on the machine.
 *
 *   npx tsx bench/pages.ts                                                            # SQLite file
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/pages.ts   # PostgreSQL
 *
 * BENCH_SIZES (default 2000,20000), BENCH_SECONDS (about how long each page is asked, default 5) and
 * BENCH_CONNECTIONS (default 4) change the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { continueIdsAfterMax, refreshStatistics } from '../db/dialect.ts';
import { createDb } from '../db/connection.ts';
import { useAuditChain } from '../server/audit/chain.ts';
import { migrateLatest } from '../db/migrate.ts';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { hashToken, newTokenValue } from '../server/auth/api-token.ts';
import { loadConfig } from '../server/config.ts';
import { createApp } from '../server/app.ts';
import { refreshStanding } from '../server/features/commitments/repository.ts';
import { systemClock } from '../server/domain/clock.ts';
import { addDays } from '../server/domain/dates.ts';
import { createTemplate, dropTemplate, freshDatabase } from '../test/db.ts';

const PASSWORD = 'Bench#2026pass';
const SIZES = (process.env.BENCH_SIZES ?? '2000,20000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const MILESTONES_PER_COMMITMENT = 5;
/** Rows per multi-row INSERT: within SQLite's 500 terms of a compound SELECT. */
const CHUNK = 200;
const MAX_REQUESTS = 2000;

/** A deterministic spread (a linear congruential generator), so that every run seeds the same ledger. */
function random(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

interface Ledger {
  commitments: Array<Record<string, unknown>>;
  milestones: Array<Record<string, unknown>>;
  fulfilments: Array<Record<string, unknown>>;
}

/**
 * Commitments signed up to two and a half years ago, with milestones every two to six months: those
 * already due mostly fulfilled, a quarter still open (overdue), a few waived or breached; 3% terminated.
 */
function ledgerRows(count: number, agencyOf: (i: number) => number, enterprises: number[], createdBy: number, today: string): Ledger {
  const rnd = random(20261129);
  const at = new Date().toISOString();
  const ledger: Ledger = { commitments: [], milestones: [], fulfilments: [] };
  for (let i = 1; i <= count; i++) {
    const signedOn = addDays(today, -(30 + rnd(900)));
    const terminatedOn = rnd(100) < 3 ? [addDays(today, -rnd(60))].map((d) => (d < signedOn ? signedOn : d))[0]! : null;
    ledger.commitments.push({
      id: i, kind: ['contract', 'policy', 'investment', 'other'][i % 4], title: `第 ${i} 号承诺：营商环境改善与基础设施建设项目`, reference_no: `BENCH-${String(i).padStart(6, '0')}`,
      agency_id: agencyOf(i), enterprise_id: i % 3 === 0 ? null : enterprises[i % enterprises.length], basis: '会议纪要〔2026〕12 号', signed_on: signedOn,
      amount_fen: 50_000_000, responsible_official: '张伟', is_public: i % 2 === 0, terminated_on: terminatedOn, termination_reason: terminatedOn ? '项目取消' : null,
      created_by: createdBy, created_at: at, updated_at: at,
    });
    let dueOn = signedOn;
    for (let seq = 1; seq <= MILESTONES_PER_COMMITMENT; seq++) {
      dueOn = addDays(dueOn, 60 + rnd(120));
      const roll = rnd(100);
      const status = dueOn < today
        ? roll < 62 ? 'fulfilled' : roll < 80 ? 'pending' : roll < 86 ? 'partial' : roll < 93 ? 'waived' : 'breached'
        : roll < 8 ? 'fulfilled' : roll < 14 ? 'partial' : 'pending';
      let completedOn: string | null = null;
      if (status === 'fulfilled') {
        completedOn = addDays(dueOn, rnd(30) - 20);
        if (completedOn > today) completedOn = today;
        if (completedOn < signedOn) completedOn = signedOn;
      }
      const id = ledger.milestones.length + 1;
      ledger.milestones.push({
        id, commitment_id: i, seq, description: `第 ${seq} 期：完成阶段性工作并支付相应款项`, due_on: dueOn, amount_fen: 10_000_000, status, completed_on: completedOn,
        breach_findings: status === 'breached' ? '逾期未履行' : null, breached_on: status === 'breached' ? today : null, created_at: at, updated_at: at,
      });
      if (status === 'fulfilled' || status === 'partial') {
        ledger.fulfilments.push({ milestone_id: id, fulfilled_on: completedOn ?? signedOn, note: '已拨付', amount_fen: status === 'fulfilled' ? 10_000_000 : 4_000_000, completes: status === 'fulfilled', recorded_by: createdBy, created_at: at });
      }
    }
  }
  return ledger;
}

async function insertAll(db: Knex, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
  });
}

/** Fills a migrated database with the demo accounts and a ledger of `count` commitments; answers what the pages need. */
/** The served app's audit key, also used while seeding. */
const INTEGRITY_KEY = 'bench-integrity-'.padEnd(40, 'k');

async function seedBench(db: Knex, count: number): Promise<{ token: string; commitmentId: number }> {
  // The demo accounts' creation is audited: the chain needs the key the served app uses.
  useAuditChain(db, { integrityKey: INTEGRITY_KEY, anchorFile: path.join(mkdtempSync(path.join(tmpdir(), 'il-pages-anchors-')), 'audit-anchors.jsonl') });
  await seedDemoCore(db, PASSWORD);
  const officer1 = await db('users').where({ username: 'officer1' }).first('id', 'agency_id');
  const others: number[] = await db('agencies').whereNot('id', officer1.agency_id).orderBy('id').pluck('id');
  const enterprises: number[] = await db('enterprises').orderBy('id').pluck('id');
  const ledger = ledgerRows(count, (i) => (i % 10 < 6 ? officer1.agency_id : others[i % others.length]!), enterprises, officer1.id, systemClock.today());
  await insertAll(db, 'commitments', ledger.commitments);
  await insertAll(db, 'milestones', ledger.milestones);
  await insertAll(db, 'fulfilments', ledger.fulfilments);
  // The rows went in around the use cases: compute their stored standing as the use cases would have.
  await db.transaction((trx) => refreshStanding(trx, trx('commitments').select('id')));
  for (const table of ['commitments', 'milestones']) await continueIdsAfterMax(db, table);
  await refreshStatistics(db, ['commitments', 'milestones', 'fulfilments']);
  const token = newTokenValue();
  const at = new Date().toISOString();
  await db('api_tokens').insert({ user_id: officer1.id, label: 'bench', token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000).toISOString(), created_by: officer1.id, created_at: at });
  const first = await db('commitments').where({ agency_id: officer1.agency_id }).orderBy('id').first('id');
  return { token, commitmentId: first.id };
}

/** The child process: the app on loopback, its port sent to the parent. */
async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', SESSION_SECRET: 'bench-secret-'.padEnd(40, 'x'), INTEGRITY_KEY, DEMO_PASSWORD: PASSWORD });
  const db = createDb(config.db);
  useAuditChain(db, { integrityKey: config.integrityKey, anchorFile: path.join(mkdtempSync(path.join(tmpdir(), 'il-pages-anchors-')), 'audit-anchors.jsonl') });
  const app = await createApp({ db, config });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  });
}

function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { env: { ...process.env, DATABASE_URL: databaseUrl }, execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, base: `http://127.0.0.1:${m.port}` }));
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Signs in as a browser would (CSRF token from the form, then the new session's cookie). */
async function signIn(base: string, username: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on /login');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }).toString(),
  });
  if (res.status !== 303 && res.status !== 302) throw new Error(`sign-in of ${username} answered ${res.status}`);
  return cookiesOf(res);
}

interface PageResult {
  page: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  kb: number;
  failed: number;
}

/** One page: a single request to learn its size and rough time, then a bounded number of requests over CONNECTIONS connections. */
async function measure(page: string, url: string, headers: Record<string, string>): Promise<PageResult> {
  const t0 = performance.now();
  const first = await fetch(url, { headers, redirect: 'manual' });
  const body = await first.arrayBuffer();
  if (first.status !== 200) throw new Error(`${page}: ${url} answered ${first.status}`);
  const single = performance.now() - t0;
  const amount = Math.max(CONNECTIONS * 2, Math.min(MAX_REQUESTS, Math.ceil((SECONDS * 1000) / single)));
  const result = await autocannon({ url, headers, connections: CONNECTIONS, amount, timeout: 60 });
  return {
    page,
    requests: result.requests.total,
    perSecond: result.requests.total / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    kb: body.byteLength / 1024,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

async function openDatabase(): Promise<{ db: Knex; url: string; label: string; close(): Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) {
    const { db, url, drop } = await freshDatabase();
    return { db, url: url!, label: 'PostgreSQL', close: drop };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'il-pages-'));
  const file = path.join(dir, 'bench.sqlite');
  const db = createDb({ client: 'sqlite', filename: file });
  await migrateLatest(db);
  return { db, url: `sqlite://${file}`, label: 'SQLite (file, WAL)', close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
}

async function benchSize(count: number): Promise<void> {
  const { db, url, label, close } = await openDatabase();
  let child: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    const { token, commitmentId } = await seedBench(db, count);
    console.log(`\n${label}, ${count} commitments × ${MILESTONES_PER_COMMITMENT} milestones (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s), ${CONNECTIONS} connections`);
    const server = await startServer(url);
    child = server.child;
    const officer = { cookie: await signIn(server.base, 'officer1') };
    const auditor = { cookie: await signIn(server.base, 'auditor') };
    const api = { authorization: `Bearer ${token}` };
    const pages: Array<[string, string, Record<string, string>]> = [
      ['officer home /', '/', officer],
      ['auditor home /', '/', auditor],
      ['ledger page 1 (auditor)', '/commitments', auditor],
      ['ledger page 50 (auditor)', '/commitments?page=50', auditor],
      ['ledger ?status=overdue (auditor)', '/commitments?status=overdue', auditor],
      ['commitment page (officer1)', `/commitments/${commitmentId}`, officer],
      ['GET /api/v1/commitments', '/api/v1/commitments', api],
      ['GET /api/v1/commitments/:id', `/api/v1/commitments/${commitmentId}`, api],
    ];
    console.log('| page | requests | req/s | p50 ms | p99 ms | KB | failed |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, pathname, headers] of pages) {
      const r = await measure(name, server.base + pathname, headers);
      console.log(`| ${r.page} | ${r.requests} | ${r.perSecond.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.kb.toFixed(0)} | ${r.failed} |`);
    }
  } finally {
    child?.kill();
    await close();
  }
}

async function main(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) await createTemplate();
  try {
    for (const size of SIZES) await benchSize(size);
  } finally {
    await dropTemplate();
  }
}

if (process.argv[2] === 'serve') {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
