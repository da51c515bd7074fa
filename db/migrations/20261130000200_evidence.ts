import type { Knex } from 'knex';
import { continueIdsAfterMax } from '../dialect.ts';

/*
 * Evidence attaches to any record: evidence_files (commitments only, with a required commitment_id)
 * becomes evidence_attachments (owner type + owner id). Every row moves with its id, so links to a
 * file keep working; the bytes stay where they are, in evidence_blobs.
 */

/** The owner types commitments stored before owner types were named by their feature. */
const RENAMED_OWNER_TYPES: Record<string, string> = {
  fulfilment: 'commitments.fulfilment',
  waiver: 'commitments.waiver',
  breach: 'commitments.breach',
};
/** Rows per insert: within SQLite's limit of 500 terms in the compound SELECT knex builds. */
const BATCH = 200;

interface FileRow {
  id: number;
  sha256: string;
  original_name: string;
  owner_type: string;
  owner_id: number;
  uploaded_by: number | null;
  created_at: string;
}

const FILE_COLUMNS = ['id', 'sha256', 'original_name', 'owner_type', 'owner_id', 'uploaded_by', 'created_at'];

/** Reads a table of files in id order, a batch at a time, and hands each batch on. */
async function inBatches(db: Knex, table: string, each: (rows: FileRow[]) => Promise<void>): Promise<void> {
  let lastId = 0;
  for (;;) {
    const rows: FileRow[] = await db(table).where('id', '>', lastId).orderBy('id').limit(BATCH).select(FILE_COLUMNS);
    if (rows.length === 0) return;
    await each(rows);
    lastId = rows[rows.length - 1]!.id;
  }
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('evidence_attachments', (t) => {
    t.increments('id');
    // `<feature>.<record>`, registered by the feature (e.g. commitments.fulfilment), and that record's id.
    t.string('owner_type', 60).notNullable();
    t.integer('owner_id').notNullable();
    t.string('sha256', 64).notNullable().references('sha256').inTable('evidence_blobs');
    t.string('original_name', 255).notNullable();
    t.integer('uploaded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['owner_type', 'owner_id']);
  });

  await inBatches(db, 'evidence_files', async (rows) => {
    await db('evidence_attachments').insert(
      rows.map((r) => {
        const ownerType = RENAMED_OWNER_TYPES[r.owner_type];
        if (!ownerType) throw new Error(`evidence_files row ${r.id} has the owner type "${r.owner_type}", which is none of ${Object.keys(RENAMED_OWNER_TYPES).join(', ')}`);
        return { id: r.id, owner_type: ownerType, owner_id: r.owner_id, sha256: r.sha256, original_name: r.original_name, uploaded_by: r.uploaded_by, created_at: r.created_at };
      }),
    );
  });
  await continueIdsAfterMax(db, 'evidence_attachments');
  await db.schema.dropTable('evidence_files');
}

/** The commitment of each owner in a batch, found through its fulfilment, waiver or milestone. */
async function commitmentsOfOwners(db: Knex, rows: FileRow[]): Promise<Map<string, number>> {
  const idsOf = (type: string) => rows.filter((r) => r.owner_type === type).map((r) => r.owner_id);
  const found = new Map<string, number>();
  const fulfilments = await db('fulfilments as f').join('milestones as m', 'm.id', 'f.milestone_id').whereIn('f.id', idsOf('commitments.fulfilment')).select('f.id', 'm.commitment_id');
  for (const f of fulfilments) found.set(`commitments.fulfilment#${f.id}`, f.commitment_id);
  const waivers = await db('waivers as w').join('milestones as m', 'm.id', 'w.milestone_id').whereIn('w.id', idsOf('commitments.waiver')).select('w.id', 'm.commitment_id');
  for (const w of waivers) found.set(`commitments.waiver#${w.id}`, w.commitment_id);
  const milestones = await db('milestones').whereIn('id', idsOf('commitments.breach')).select('id', 'commitment_id');
  for (const m of milestones) found.set(`commitments.breach#${m.id}`, m.commitment_id);
  return found;
}

export async function down(db: Knex): Promise<void> {
  const oldNames = Object.fromEntries(Object.entries(RENAMED_OWNER_TYPES).map(([old, renamed]) => [renamed, old]));
  const others = await db('evidence_attachments').whereNotIn('owner_type', Object.keys(oldNames)).count({ n: '*' }).first();
  if (Number(others?.n ?? 0) > 0) {
    throw new Error(`${others!.n} evidence attachments belong to records other than commitments; evidence_files cannot hold them, so this migration is not undone`);
  }

  await db.schema.createTable('evidence_files', (t) => {
    t.increments('id');
    t.string('sha256', 64).notNullable().references('sha256').inTable('evidence_blobs');
    t.string('original_name', 255).notNullable();
    t.integer('commitment_id').notNullable().references('id').inTable('commitments');
    t.string('owner_type', 20).notNullable();
    t.integer('owner_id').notNullable();
    t.integer('uploaded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['owner_type', 'owner_id']);
    t.index(['commitment_id']);
  });

  await inBatches(db, 'evidence_attachments', async (rows) => {
    const commitmentOf = await commitmentsOfOwners(db, rows);
    await db('evidence_files').insert(
      rows.map((r) => {
        const commitmentId = commitmentOf.get(`${r.owner_type}#${r.owner_id}`);
        if (commitmentId === undefined) throw new Error(`evidence attachment ${r.id} belongs to ${r.owner_type} ${r.owner_id}, which no longer exists`);
        return { id: r.id, sha256: r.sha256, original_name: r.original_name, commitment_id: commitmentId, owner_type: oldNames[r.owner_type], owner_id: r.owner_id, uploaded_by: r.uploaded_by, created_at: r.created_at };
      }),
    );
  });
  await continueIdsAfterMax(db, 'evidence_files');
  await db.schema.dropTable('evidence_attachments');
}
