/**
 * Evidence benchmark: the 20261130000200_evidence migration moving 50,000 evidence_files rows into
 * evidence_attachments, then attachmentsOf for a page of 200 owners (what a list page would ask).
 *
 *   npx tsx bench/evidence.ts                                   # SQLite file in a temporary directory
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/evidence.ts
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { attachmentsOf } from '../server/evidence/index.ts';
import { emptyDatabase } from '../test/db.ts';

const FILES = Number(process.env.BENCH_FILES ?? 50_000);
const BEFORE = '20261129000200';
const OWNER_TYPES = ['fulfilment', 'waiver', 'breach'];
const PAGE = 200;

async function seedPrevious(db: Knex): Promise<void> {
  const now = new Date().toISOString();
  const [{ id: agencyId }] = await db('agencies').insert({ name: '基准测试局', code: 'BENCH', level: 'city', created_at: now, updated_at: now }).returning('id');
  const [{ id: userId }] = await db('users').insert({ username: 'bench', display_name: '基准', password_hash: 'x', role: 'officer', agency_id: agencyId, created_at: now, updated_at: now }).returning('id');
  const [{ id: commitmentId }] = await db('commitments')
    .insert({ kind: 'contract', title: '基准', reference_no: 'B-1', agency_id: agencyId, signed_on: '2026-01-05', responsible_official: '张', created_at: now, updated_at: now })
    .returning('id');
  const hashes: string[] = [];
  for (let i = 0; i < 10; i++) {
    const data = Buffer.from(`%PDF-1.4 bench ${i}`);
    const sha256 = createHash('sha256').update(data).digest('hex');
    hashes.push(sha256);
    await db('evidence_blobs').insert({ sha256, mime: 'application/pdf', size: data.length, data, created_at: now });
  }
  const rows = Array.from({ length: FILES }, (_, i) => ({
    sha256: hashes[i % hashes.length],
    original_name: `证明材料 ${i}.pdf`,
    commitment_id: commitmentId,
    owner_type: OWNER_TYPES[i % OWNER_TYPES.length],
    owner_id: Math.floor(i / OWNER_TYPES.length) + 1,
    uploaded_by: userId,
    created_at: now,
  }));
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 100) await trx('evidence_files').insert(rows.slice(i, i + 100));
  });
}

function sqliteFile(filename: string) {
  const db = createDb({ client: 'sqlite', filename });
  return { db, drop: () => db.destroy() };
}

async function main(): Promise<void> {
  const dir = process.env.TEST_DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'il-bench-evidence-'));
  const test = dir ? sqliteFile(path.join(dir, 'bench.sqlite')) : await emptyDatabase();
  const db = test.db;
  try {
    while ((await db.migrate.currentVersion()) !== BEFORE) await db.migrate.up();
    await seedPrevious(db);
    const started = performance.now();
    await migrateLatest(db);
    const migrated = performance.now() - started;
    const moved = await db('evidence_attachments').count({ n: '*' }).first();

    const owners = Array.from({ length: PAGE }, (_, i) => ({ type: `commitments.${OWNER_TYPES[i % OWNER_TYPES.length]}`, id: 1000 + Math.floor(i / OWNER_TYPES.length) }));
    await attachmentsOf(db, owners);
    const runs = 20;
    const t0 = performance.now();
    let listed = 0;
    for (let r = 0; r < runs; r++) {
      const page = await attachmentsOf(db, owners);
      listed = owners.reduce((sum, o) => sum + page.of(o).length, 0);
    }
    const perPage = (performance.now() - t0) / runs;

    console.log(`engine: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite file'}`);
    console.log(`migration: ${Number(moved?.n)} of ${FILES} evidence_files rows moved in ${(migrated / 1000).toFixed(2)} s`);
    console.log(`attachmentsOf: ${PAGE} owners, ${listed} files, ${perPage.toFixed(1)} ms per page (mean of ${runs})`);
  } finally {
    await test.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
