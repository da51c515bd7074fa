/**
 * Audit log benchmark over a log of 100,000 entries: re-keying an unkeyed chain (the migration an
 * existing installation runs once), verifying the keyed chain with its anchors, what anchoring adds
 * to a write, the auditors' page with each kind of filter, and the CSV export of the whole log.
 *
 *   npx tsx bench/audit.ts                                   # SQLite file in a temporary directory
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/audit.ts
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { createDb } from '../db/connection.ts';
import { migrateLatest, migrateUpTo } from '../db/migrate.ts';
import { recordAuditEvent, useAuditChain, verifyChain } from '../server/audit/chain.ts';
import { auditEntityRegistry } from '../server/audit/entities.ts';
import { FEATURES } from '../server/features/index.ts';
import { auditBatches, auditPage } from '../server/features/audit/queries.ts';
import { createTemplate, dropTemplate, emptyDatabase, TEST_INTEGRITY_KEY } from '../test/db.ts';

const ENTRIES = Number(process.env.AUDIT_BENCH_ENTRIES ?? 100_000);
const BEFORE_KEYED = '20261130000300_jobs.ts';
const ACTIONS = ['commitment.created', 'commitment.fulfilment_recorded', 'login.succeeded', 'evidence.downloaded', 'commitments.exported'];

async function openDatabase(): Promise<{ db: Knex; label: string; anchorFile: string; close(): Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) {
    await createTemplate();
    const test = await emptyDatabase();
    return { db: test.db, label: 'PostgreSQL', anchorFile: test.anchorFile, close: async () => { await test.drop(); await dropTemplate(); } };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'il-bench-audit-'));
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'bench.sqlite') });
  const anchorFile = path.join(dir, 'audit-anchors.jsonl');
  useAuditChain(db, { integrityKey: TEST_INTEGRITY_KEY, anchorFile });
  return { db, label: 'SQLite (file, WAL)', anchorFile, close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A log as the unkeyed chain wrote it: entries spread over 2026, one in five about a commitment. */
async function writeUnkeyedLog(db: Knex): Promise<void> {
  let prev = '0'.repeat(64);
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < ENTRIES; i += 200) {
    const rows = [];
    for (let j = i; j < Math.min(ENTRIES, i + 200); j++) {
      const row = {
        at: new Date(start + j * 300_000).toISOString(),
        actor_id: null,
        actor_name: `officer${j % 40}`,
        action: ACTIONS[j % ACTIONS.length]!,
        entity_type: j % 5 === 0 ? 'commitment' : 'thing',
        entity_id: String(j % 5000),
        before_json: null,
        after_json: JSON.stringify({ title: `事项 ${j}`, amountFen: j * 100 }),
        ip: '10.0.0.1',
      };
      const content = JSON.stringify([row.at, row.actor_id, row.actor_name, row.action, row.entity_type, row.entity_id, row.before_json, row.after_json, row.ip]);
      const hash = createHash('sha256').update(prev).update(content).digest('hex');
      rows.push({ ...row, prev_hash: prev, hash });
      prev = hash;
    }
    await db('audit_log').insert(rows);
  }
}

async function timed<T>(label: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  console.log(`  ${label.padEnd(64)} ${(performance.now() - started).toFixed(0).padStart(7)} ms`);
  return result;
}

async function main(): Promise<void> {
  const { db, label, anchorFile, close } = await openDatabase();
  try {
    console.log(`Audit log benchmark on ${label}: ${ENTRIES} entries`);
    await migrateUpTo(db, BEFORE_KEYED);
    await writeUnkeyedLog(db);
    await timed('re-key the unkeyed chain (migration, one transaction)', () => migrateLatest(db));
    const verdict = await timed('verify the keyed chain and its anchors', () => verifyChain(db));
    if (!verdict.ok) throw new Error(`the chain does not hold: ${JSON.stringify(verdict.problem)}`);

    const writes = 500;
    const started = performance.now();
    for (let i = 0; i < writes; i++) await recordAuditEvent(db, { id: null, username: 'bench', ip: null }, { action: 'login.succeeded', entityType: 'user', entityId: i });
    console.log(`  ${'one entry in its own transaction, anchored after commit'.padEnd(64)} ${((performance.now() - started) / writes).toFixed(2).padStart(7)} ms each (${writes} writes)`);
    const anchored = await timed(`verify again: ${writes + 1} anchors in a ${statSync(anchorFile).size}-byte file`, () => verifyChain(db));
    if (!anchored.ok || anchored.anchorsChecked < writes) throw new Error('anchors were not all compared');

    const registry = auditEntityRegistry(FEATURES.flatMap((f) => f.auditEntities ?? []));
    const page = (filters: Parameters<typeof auditPage>[2]) => () => auditPage(db, registry, filters, 1, 50);
    await timed('page 1, no filter (count + 50 rows)', page({}));
    await timed('page 1, one action', page({ action: 'evidence.downloaded' }));
    await timed('page 1, actor by part of a name', page({ actor: 'officer3' }));
    await timed('page 1, one month (Beijing dates)', page({ from: '2026-03-01', to: '2026-03-31' }));
    await timed('page 1, object by number', page({ entityType: 'commitment', object: '#120' }));
    await timed('page 200 of the whole log', () => auditPage(db, registry, {}, 200, 50));
    await timed('every entry in export batches (the CSV export’s reads)', async () => {
      let rows = 0;
      for await (const batch of auditBatches(db, registry, {})) rows += batch.length;
      if (rows < ENTRIES) throw new Error(`read ${rows} rows`);
    });
  } finally {
    await close();
  }
}

await main();
