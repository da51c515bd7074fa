import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { emptyDatabase, type TestDatabase } from '../test/db.ts';
import { bigPdf } from '../test/files.ts';
import { blobBytes } from '../server/evidence/store.ts';
import { migrateLatest, migrateUpTo } from './migrate.ts';

/*
 * Evidence bytes stored before chunking are one value per file in evidence_blobs.data. The migration
 * moves each into chunks of at most 1 MB and drops the column; undone, it puts every file's bytes
 * back whole.
 */

const MIGRATION = '20261202000100_evidence_blob_chunks.ts';
const AT = '2026-11-29T02:00:00.000Z';
const MB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe(`migration ${MIGRATION}`, () => {
  let test: TestDatabase;
  let db: Knex;
  /** Files of no bytes, a few bytes, exactly one chunk and several chunks with a short last one. */
  const files = [Buffer.alloc(0), Buffer.from('%PDF-1.4 小文件'), bigPdf(MB, 'one chunk'), bigPdf(2 * MB + 77, 'three chunks')];

  before(async () => {
    test = await emptyDatabase();
    db = test.db;
    await migrateUpTo(db, '20261201000700_commitment_standing.ts');
    for (const data of files) await db('evidence_blobs').insert({ sha256: sha256(data), mime: 'application/pdf', size: data.length, data, created_at: AT });
    await migrateLatest(db);
  });
  after(() => test.drop());

  it('moves every stored file into chunks of at most 1 MB, in order, and drops the whole-file column', async () => {
    const chunks = await db('evidence_blob_chunks').orderBy(['sha256', 'seq']).select('sha256', 'seq', 'data');
    const countOf = (data: Buffer) => chunks.filter((c) => c.sha256 === sha256(data)).length;
    expect(files.map(countOf)).to.deep.equal([0, 1, 1, 3]);
    expect(Math.max(...chunks.map((c) => Buffer.from(c.data).length))).to.equal(MB);
    for (const data of files) expect(Buffer.compare(await blobBytes(db, sha256(data)), data), `${data.length} bytes`).to.equal(0);
    expect(await db.schema.hasColumn('evidence_blobs', 'data')).to.equal(false);
    expect(await db('evidence_blobs').count({ n: '*' }).first()).to.deep.equal({ n: files.length });
  });

  it('puts every file back whole when undone, and moves it into chunks again when redone', async () => {
    await db.migrate.down({ name: MIGRATION });
    expect(await db.schema.hasTable('evidence_blob_chunks')).to.equal(false);
    const rows: Array<{ sha256: string; data: Uint8Array }> = await db('evidence_blobs').select('sha256', 'data');
    expect(rows).to.have.length(files.length);
    for (const data of files) expect(Buffer.compare(Buffer.from(rows.find((r) => r.sha256 === sha256(data))!.data), data), `${data.length} bytes`).to.equal(0);

    await db.migrate.up({ name: MIGRATION });
    for (const data of files) expect(Buffer.compare(await blobBytes(db, sha256(data)), data), `${data.length} bytes`).to.equal(0);
  });
});
