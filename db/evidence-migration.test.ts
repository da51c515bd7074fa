import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { seedDemoCore } from './seeds/demo.ts';
import { migrateLatest } from './migrate.ts';
import { emptyDatabase, type TestDatabase } from '../test/db.ts';
import { DEMO_PASSWORD, signIn, testConfig } from '../test/helpers.ts';
import { binary, fileOnDisk } from '../test/files.ts';
import { createApp } from '../server/app.ts';
import { attachmentsOf, attachFiles } from '../server/evidence/index.ts';

/** The migration before evidence attachments, and the one that moves evidence_files into them. */
const BEFORE = '20261129000200';
const EVIDENCE_MIGRATION = '20261130000200_evidence.ts';
/** More rows than one batch of the migration's copy, so that batching is exercised. */
const FILE_COUNT = 450;

interface OldFile {
  id: number;
  sha256: string;
  original_name: string;
  commitment_id: number;
  owner_type: string;
  owner_id: number;
  uploaded_by: number;
  created_at: string;
}

async function migrateThrough(db: Knex, version: string): Promise<void> {
  while ((await db.migrate.currentVersion()) !== version) await db.migrate.up();
}

async function insertIn(db: Knex, table: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await db(table).insert(rows.slice(i, i + 100));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Rows as the previous schema held them: two commitments with milestones, a fulfilment and a waiver,
 * three different files' bytes, and FILE_COUNT links to them of every owner type, with a gap in the ids.
 */
async function seedPreviousSchema(db: Knex): Promise<{ files: OldFile[]; bytes: Map<string, Buffer> }> {
  const now = '2026-11-01T02:00:00.000Z';
  const [{ id: agencyId }] = await db('agencies').insert({ name: '迁移测试局', code: 'MIG', level: 'city', created_at: now, updated_at: now }).returning('id');
  const [{ id: enterpriseId }] = await db('enterprises').insert({ name: '迁移测试企业', credit_code: '91370200MA00000000', type: 'private', scale: 'small', created_at: now, updated_at: now }).returning('id');
  const [{ id: userId }] = await db('users').insert({ username: 'migrator', display_name: '迁移', password_hash: 'x', role: 'officer', agency_id: agencyId, created_at: now, updated_at: now }).returning('id');
  const commitmentIds: number[] = [];
  for (const ref of ['MIG-1', 'MIG-2']) {
    const [{ id }] = await db('commitments')
      .insert({ kind: 'contract', title: `迁移 ${ref}`, reference_no: ref, agency_id: agencyId, enterprise_id: enterpriseId, signed_on: '2026-01-05', amount_fen: 100, responsible_official: '张', created_at: now, updated_at: now })
      .returning('id');
    commitmentIds.push(id);
  }
  const milestoneIds: number[] = [];
  for (const [seq, commitmentId] of commitmentIds.entries()) {
    const [{ id }] = await db('milestones').insert({ commitment_id: commitmentId, seq, description: '节点', due_on: '2026-12-01', created_at: now, updated_at: now }).returning('id');
    milestoneIds.push(id);
  }
  const [{ id: fulfilmentId }] = await db('fulfilments').insert({ milestone_id: milestoneIds[0], fulfilled_on: '2026-10-01', note: '已拨付', created_at: now }).returning('id');
  const [{ id: waiverId }] = await db('waivers').insert({ milestone_id: milestoneIds[1], reason: '政策调整', requested_at: now }).returning('id');

  const bytes = new Map<string, Buffer>();
  for (const [mime, content] of [['application/pdf', '%PDF-1.4 迁移一'], ['image/png', 'png 迁移二'], ['application/pdf', '%PDF-1.4 迁移三']] as const) {
    const data = Buffer.from(content);
    bytes.set(sha256(data), data);
    await db('evidence_blobs').insert({ sha256: sha256(data), mime, size: data.length, data, created_at: now });
  }
  const hashes = [...bytes.keys()];
  const owners = [
    { owner_type: 'fulfilment', owner_id: fulfilmentId, commitment_id: commitmentIds[0] },
    { owner_type: 'waiver', owner_id: waiverId, commitment_id: commitmentIds[1] },
    { owner_type: 'breach', owner_id: milestoneIds[0], commitment_id: commitmentIds[0] },
  ];
  const rows = Array.from({ length: FILE_COUNT }, (_, i) => ({
    ...owners[i % owners.length]!,
    sha256: hashes[i % hashes.length],
    original_name: `证明材料 ${i + 1}.pdf`,
    uploaded_by: userId,
    created_at: new Date(Date.parse(now) + i * 1000).toISOString(),
  }));
  await insertIn(db, 'evidence_files', rows);
  // A link removed before the migration leaves a gap: ids are kept, not renumbered.
  const gap = await db('evidence_files').orderBy('id').offset(10).first('id');
  await db('evidence_files').where({ id: gap.id }).delete();
  const files: OldFile[] = await db('evidence_files').orderBy('id').select('id', 'sha256', 'original_name', 'commitment_id', 'owner_type', 'owner_id', 'uploaded_by', 'created_at');
  return { files, bytes };
}

describe('evidence migration (evidence_files → evidence_attachments)', function () {
  this.timeout(120_000);
  let test: TestDatabase;
  let db: Knex;
  let old: { files: OldFile[]; bytes: Map<string, Buffer> };

  before(async () => {
    test = await emptyDatabase();
    db = test.db;
    await migrateThrough(db, BEFORE);
    old = await seedPreviousSchema(db);
    await migrateLatest(db);
  });
  after(() => test.drop());

  it('moves every file link with its id, name, uploader and time, under its commitments owner type', async () => {
    expect(await db.schema.hasTable('evidence_files')).to.equal(false);
    const moved = await db('evidence_attachments').orderBy('id').select('id', 'sha256', 'original_name', 'owner_type', 'owner_id', 'uploaded_by', 'created_at');
    expect(moved).to.have.length(FILE_COUNT - 1);
    expect(moved).to.deep.equal(
      old.files.map((f) => ({ id: f.id, sha256: f.sha256, original_name: f.original_name, owner_type: `commitments.${f.owner_type}`, owner_id: f.owner_id, uploaded_by: f.uploaded_by, created_at: f.created_at })),
    );
    expect(await db('evidence_blobs').count({ n: '*' }).first()).to.deep.equal({ n: old.bytes.size });
  });

  it('lists every file under its owner for a commitment page', async () => {
    const owners = [...new Map(old.files.map((f) => [`${f.owner_type}#${f.owner_id}`, { type: `commitments.${f.owner_type}`, id: f.owner_id }])).values()];
    const listed = await attachmentsOf(db, owners);
    const ids = owners.flatMap((o) => listed.of(o).map((a) => a.id)).sort((a, b) => a - b);
    expect(ids).to.deep.equal(old.files.map((f) => f.id));
  });

  it('serves each file’s bytes from its old link and from the one download route', async () => {
    await seedDemoCore(db, DEMO_PASSWORD);
    const app = await createApp({ db, config: testConfig() });
    const auditor = await signIn(app, 'auditor');
    for (const file of [old.files[0]!, old.files[1]!, old.files[2]!, old.files[old.files.length - 1]!]) {
      const redirect = await auditor.get(`/commitments/${file.commitment_id}/evidence/${file.id}`);
      expect(redirect.status).to.equal(301);
      const res = await auditor.get(redirect.headers.location!).buffer(true).parse(binary);
      expect(res.status, `file ${file.id}`).to.equal(200);
      expect(Buffer.compare(res.body as Buffer, old.bytes.get(file.sha256)!), `bytes of file ${file.id}`).to.equal(0);
    }
  });

  it('gives files attached afterwards ids after the moved ones', async () => {
    const last = old.files[old.files.length - 1]!;
    const data = Buffer.from('%PDF-1.4 迁移后');
    const { attachments: [added] } = await db.transaction((trx) =>
      attachFiles(trx, { id: null, username: 'test', ip: null }, { type: 'commitments.fulfilment', id: last.owner_id }, [{ originalName: '迁移后.pdf', path: fileOnDisk(data), mime: 'application/pdf', size: data.length, sha256: sha256(data) }], { entityType: 'commitment', entityId: last.commitment_id }),
    );
    expect(added!.id).to.be.greaterThan(last.id);
  });

  it('moves every commitment file back when undone, and refuses while files of other records exist', async () => {
    const attachments = await db('evidence_attachments').count({ n: '*' }).first();
    const [{ id: foreignId }] = await db('evidence_attachments')
      .insert({ owner_type: 'arrears.payment', owner_id: 1, sha256: old.files[0]!.sha256, original_name: '付款凭证.pdf', created_at: new Date().toISOString() })
      .returning('id');
    const refused = await db.migrate.down({ name: EVIDENCE_MIGRATION }).then(() => 'undone', (err: Error) => err.message);
    expect(refused).to.include('1 evidence attachments belong to records other than commitments');
    expect(await db.schema.hasTable('evidence_attachments')).to.equal(true);

    await db('evidence_attachments').where({ id: foreignId }).delete();
    await db.migrate.down({ name: EVIDENCE_MIGRATION });
    expect(await db.schema.hasTable('evidence_attachments')).to.equal(false);
    const restored: OldFile[] = await db('evidence_files').orderBy('id').select('id', 'sha256', 'original_name', 'commitment_id', 'owner_type', 'owner_id', 'uploaded_by', 'created_at');
    expect(restored).to.have.length(Number(attachments!.n));
    expect(restored.slice(0, old.files.length)).to.deep.equal(old.files);

    await db.migrate.up({ name: EVIDENCE_MIGRATION });
    expect(await db('evidence_attachments').count({ n: '*' }).first()).to.deep.equal({ n: restored.length });
  });
});
