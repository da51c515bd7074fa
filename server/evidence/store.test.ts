import { expect } from 'chai';
import type { Knex } from 'knex';
import { seedDemoCore } from '../../db/seeds/demo.ts';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { DEMO_PASSWORD } from '../../test/helpers.ts';
import { bigPdf, pdfBytes, PNG, uploadedFile } from '../../test/files.ts';
import type { AuditActor } from '../audit/chain.ts';
import { canReadRecord, type ScopedRecord } from '../auth/policy.ts';
import type { SessionUser } from '../auth/types.ts';
import type { EvidenceOwnerType, FeatureManifest } from '../context.ts';
import { checkUploads, type CheckedFile } from './check.ts';
import { evidenceOwnersOf, mayReadAttachmentsOf } from './owners.ts';
import { attachFiles, attachmentsOf, blobBytes, blobChunks, EVIDENCE_CHUNK_BYTES } from './store.ts';

async function checked(name: string, bytes: Buffer): Promise<CheckedFile> {
  const { files, errors } = await checkUploads([uploadedFile(name, bytes, { fieldname: 'f' })], 'f');
  expect(errors).to.deep.equal([]);
  return files[0]!;
}

function user(role: SessionUser['role'], scope: { agencyId?: number; enterpriseId?: number } = {}): SessionUser {
  return {
    id: 1, username: role, displayName: role, role, agencyId: scope.agencyId ?? null, agencyName: null, enterpriseId: scope.enterpriseId ?? null, enterpriseName: null,
    mustChangePassword: false, totpEnabled: false,
  };
}

/** An owner type of a pretend feature whose records live in a map. */
function sampleOwner(records: Map<number, ScopedRecord>): EvidenceOwnerType {
  return { name: 'lab.sample', scopeOf: async (_db, id) => records.get(id) ?? null, canRead: canReadRecord };
}

describe('evidence store', () => {
  let test: TestDatabase;
  let db: Knex;
  let actor: AuditActor;
  let pdf: CheckedFile;

  before(async () => {
    test = await freshDatabase();
    db = test.db;
    await seedDemoCore(db, DEMO_PASSWORD);
    const officer = await db('users').where({ username: 'officer1' }).first('id', 'username');
    actor = { id: officer.id, username: officer.username, ip: '127.0.0.1' };
    pdf = await checked('履约证明 (盖章).pdf', await pdfBytes('store test'));
  });
  after(() => test.drop());

  it('stores the same bytes once, links each upload under its own name and returns the audit entry for the use case', async () => {
    const { attachments: attached, auditEntry } = await db.transaction((trx) => attachFiles(trx, actor, { type: 'lab.sample', id: 1 }, [pdf, { ...pdf, originalName: '副本.pdf' }], { entityType: 'sample', entityId: 1 }));
    await db.transaction((trx) => attachFiles(trx, actor, { type: 'lab.other', id: 1 }, [{ ...pdf, originalName: '再次上传.pdf' }], { entityType: 'sample', entityId: 2 }));

    expect(attached.map((a) => [a.originalName, a.size, a.mime])).to.deep.equal([['履约证明 (盖章).pdf', pdf.size, 'application/pdf'], ['副本.pdf', pdf.size, 'application/pdf']]);
    const blobs = await db('evidence_blobs').where({ sha256: pdf.sha256 }).select('size');
    expect(blobs).to.have.length(1);
    const links = await db('evidence_attachments').where({ sha256: pdf.sha256 }).orderBy('id').select('owner_type', 'owner_id', 'original_name', 'uploaded_by');
    expect(links).to.deep.equal([
      { owner_type: 'lab.sample', owner_id: 1, original_name: '履约证明 (盖章).pdf', uploaded_by: actor.id },
      { owner_type: 'lab.sample', owner_id: 1, original_name: '副本.pdf', uploaded_by: actor.id },
      { owner_type: 'lab.other', owner_id: 1, original_name: '再次上传.pdf', uploaded_by: actor.id },
    ]);
    expect(auditEntry).to.deep.equal({
      action: 'sample.evidence_attached',
      entityType: 'sample',
      entityId: 1,
      after: { ownerType: 'lab.sample', ownerId: 1, files: attached.map((a) => ({ fileId: a.id, name: a.originalName, sha256: pdf.sha256, size: pdf.size })) },
    });
  });

  it('stores a large file in chunks of at most EVIDENCE_CHUNK_BYTES, reads it back in order, and stores the same bytes again as nothing new', async () => {
    const bytes = bigPdf(EVIDENCE_CHUNK_BYTES * 3 + 1, 'chunked');
    const large = await checked('大文件.pdf', bytes);
    await db.transaction((trx) => attachFiles(trx, actor, { type: 'lab.sample', id: 10 }, [large], { entityType: 'sample', entityId: 10 }));
    const chunks = () => db('evidence_blob_chunks').where({ sha256: large.sha256 }).orderBy('seq').select('seq');
    expect((await chunks()).map((c) => c.seq)).to.deep.equal([0, 1, 2, 3]);
    const read: Buffer[] = [];
    for await (const chunk of blobChunks(db, large.sha256)) read.push(chunk);
    expect(read.map((c) => c.length)).to.deep.equal([EVIDENCE_CHUNK_BYTES, EVIDENCE_CHUNK_BYTES, EVIDENCE_CHUNK_BYTES, 1]);
    expect(Buffer.compare(Buffer.concat(read), bytes)).to.equal(0);

    const again = await db.transaction((trx) => attachFiles(trx, actor, { type: 'lab.sample', id: 11 }, [{ ...large, originalName: '再传一次.pdf' }, { ...large, originalName: '同一文件.pdf' }], { entityType: 'sample', entityId: 11 }));
    expect(again.attachments.map((a) => [a.originalName, a.size])).to.deep.equal([['再传一次.pdf', bytes.length], ['同一文件.pdf', bytes.length]]);
    expect(await chunks()).to.have.length(4);
    expect(await db('evidence_blobs').where({ sha256: large.sha256 }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    expect(Buffer.compare(await blobBytes(db, large.sha256), bytes)).to.equal(0);
  });

  it('keeps both uploads when two open transactions store the same new bytes', async () => {
    const png = await checked('同时上传.png', PNG);
    const first = await db.transaction();
    await attachFiles(first, actor, { type: 'lab.sample', id: 20 }, [png], { entityType: 'sample', entityId: 20 });
    const second = db.transaction((trx) => attachFiles(trx, actor, { type: 'lab.sample', id: 21 }, [png], { entityType: 'sample', entityId: 21 }));
    await first.commit();
    await second;
    expect(await db('evidence_blobs').where({ sha256: png.sha256 }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    const owners = await db('evidence_attachments').where({ sha256: png.sha256 }).orderBy('owner_id').pluck('owner_id');
    expect(owners).to.deep.equal([20, 21]);
  });

  it('leaves nothing behind when the caller’s transaction fails after attaching', async () => {
    const other = await checked('作废.pdf', await pdfBytes('rolled back'));
    const failure = await db
      .transaction(async (trx) => {
        await attachFiles(trx, actor, { type: 'lab.sample', id: 30 }, [other], { entityType: 'sample', entityId: 30 });
        throw new Error('the record it proves was refused');
      })
      .catch((err: Error) => err.message);
    expect(failure).to.equal('the record it proves was refused');
    expect(await db('evidence_attachments').where({ owner_type: 'lab.sample', owner_id: 30 }).first()).to.equal(undefined);
    expect(await db('evidence_blobs').where({ sha256: other.sha256 }).first()).to.equal(undefined);
    expect(await db('evidence_blob_chunks').where({ sha256: other.sha256 }).first()).to.equal(undefined);
  });

  it('refuses an owner without a <feature>.<record> type or a positive id', async () => {
    for (const owner of [{ type: 'sample', id: 1 }, { type: 'Lab.Sample', id: 1 }, { type: 'lab.sample', id: 0 }]) {
      const outcome = await db.transaction((trx) => attachFiles(trx, actor, owner, [pdf], { entityType: 'sample', entityId: 1 })).then(() => 'attached', (err: Error) => err.message);
      expect(outcome, JSON.stringify(owner)).to.match(/^cannot attach evidence to/);
    }
  });

  it('reads the files of a whole page of owners in one query, each owner’s in upload order', async () => {
    const png = await checked('照片.png', PNG);
    await db.transaction(async (trx) => {
      await attachFiles(trx, actor, { type: 'lab.page', id: 1 }, [pdf, png], { entityType: 'sample', entityId: 40 });
      await attachFiles(trx, actor, { type: 'lab.page', id: 2 }, [png], { entityType: 'sample', entityId: 40 });
      await attachFiles(trx, actor, { type: 'lab.note', id: 1 }, [pdf], { entityType: 'sample', entityId: 40 });
    });
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    db.on('query', count);
    const files = await attachmentsOf(db, [{ type: 'lab.page', id: 1 }, { type: 'lab.page', id: 2 }, { type: 'lab.page', id: 3 }, { type: 'lab.note', id: 1 }]);
    db.off('query', count);

    expect(queries).to.have.length(1);
    expect(files.of({ type: 'lab.page', id: 1 }).map((f) => [f.originalName, f.mime, f.size])).to.deep.equal([['履约证明 (盖章).pdf', 'application/pdf', pdf.size], ['照片.png', 'image/png', PNG.length]]);
    expect(files.of({ type: 'lab.page', id: 2 }).map((f) => f.originalName)).to.deep.equal(['照片.png']);
    expect(files.of({ type: 'lab.page', id: 3 })).to.deep.equal([]);
    expect(files.of({ type: 'lab.note', id: 1 }).map((f) => f.originalName)).to.deep.equal(['履约证明 (盖章).pdf']);
    expect(files.of({ type: 'lab.unasked', id: 1 })).to.deep.equal([]);
    expect((await attachmentsOf(db, [])).of({ type: 'lab.page', id: 1 })).to.deep.equal([]);
  });

  describe('owner types', () => {
    const feature = (name: string, owners: EvidenceOwnerType[]): FeatureManifest => ({ name, evidenceOwners: owners });

    it('registers each feature’s owner types under their names', () => {
      const owner = sampleOwner(new Map());
      const registry = evidenceOwnersOf([feature('lab', [owner]), feature('home', [])]);
      expect([...registry.keys()]).to.deep.equal(['lab.sample']);
      expect(registry.get('lab.sample')).to.equal(owner);
    });

    it('stops start-up when a feature names another feature’s records or registers a name twice', () => {
      const owner = sampleOwner(new Map());
      expect(() => evidenceOwnersOf([feature('arrears', [owner])])).to.throw('evidence owner type "lab.sample" of feature "arrears" must be named "arrears.<record>"');
      expect(() => evidenceOwnersOf([feature('lab', [owner, owner])])).to.throw('evidence owner type "lab.sample" is registered twice');
    });

    it('lets a user read what the owner’s rule allows, and nothing of an unregistered type or a missing record', async () => {
      const registry = evidenceOwnersOf([feature('lab', [sampleOwner(new Map([[1, { agencyId: 7, enterpriseId: 3 }]]))])]);
      const may = (u: SessionUser, type: string, id: number) => mayReadAttachmentsOf(db, registry, u, { type, id });
      expect(await may(user('auditor'), 'lab.sample', 1)).to.equal(true);
      expect(await may(user('officer', { agencyId: 7 }), 'lab.sample', 1)).to.equal(true);
      expect(await may(user('enterprise', { enterpriseId: 3 }), 'lab.sample', 1)).to.equal(true);
      expect(await may(user('officer', { agencyId: 8 }), 'lab.sample', 1)).to.equal(false);
      expect(await may(user('enterprise', { enterpriseId: 4 }), 'lab.sample', 1)).to.equal(false);
      expect(await may(user('admin'), 'lab.sample', 1)).to.equal(false);
      expect(await may(user('auditor'), 'lab.sample', 2)).to.equal(false);
      expect(await may(user('auditor'), 'lab.unregistered', 1)).to.equal(false);
    });
  });
});
