import type { Knex } from 'knex';
import { dropColumn, requireValue } from '../dialect.ts';

/*
 * Evidence bytes move from one value per file (evidence_blobs.data) into chunks of at most 1 MB
 * (evidence_blob_chunks), so that storing or sending a 20 MB file never holds it whole in memory:
 * a file is written chunk by chunk from its upload on disk and read back chunk by chunk. A file is
 * still stored once per SHA-256; evidence_blobs keeps its type and size.
 */

/** Bytes per chunk: the same as server/evidence/store.ts writes. */
const CHUNK_BYTES = 1024 * 1024;

/** The next stored file after `after`, in SHA-256 order, one at a time: each may be 20 MB. */
async function nextBlob(db: Knex, after: string, columns: string[]): Promise<Record<string, unknown> | undefined> {
  return db('evidence_blobs').where('sha256', '>', after).orderBy('sha256').first(columns);
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('evidence_blob_chunks', (t) => {
    t.string('sha256', 64).notNullable().references('sha256').inTable('evidence_blobs');
    // 0, 1, 2 … in the order of the file's bytes.
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['sha256', 'seq']);
  });
  for (let blob = await nextBlob(db, '', ['sha256', 'data']); blob; blob = await nextBlob(db, String(blob.sha256), ['sha256', 'data'])) {
    const data = Buffer.isBuffer(blob.data) ? blob.data : Buffer.from(blob.data as Uint8Array);
    for (let seq = 0; seq * CHUNK_BYTES < data.length; seq++) {
      await db('evidence_blob_chunks').insert({ sha256: blob.sha256, seq, data: data.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES) });
    }
  }
  await dropColumn(db, 'evidence_blobs', 'data');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('evidence_blobs', (t) => {
    t.binary('data');
  });
  for (let blob = await nextBlob(db, '', ['sha256']); blob; blob = await nextBlob(db, String(blob.sha256), ['sha256'])) {
    const chunks: Array<{ data: Uint8Array }> = await db('evidence_blob_chunks').where({ sha256: blob.sha256 }).orderBy('seq').select('data');
    await db('evidence_blobs').where({ sha256: blob.sha256 }).update({ data: Buffer.concat(chunks.map((c) => Buffer.from(c.data))) });
  }
  await requireValue(db, 'evidence_blobs', 'data');
  await db.schema.dropTable('evidence_blob_chunks');
}
