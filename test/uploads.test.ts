import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { MAX_UPLOAD_BYTES, UPLOAD_DIR_PREFIX } from '../server/http/uploads.ts';
import { blobBytes } from '../server/evidence/store.ts';
import { createCommitment } from '../server/features/commitments/service/register.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from './factories.ts';
import { PNG, pdfBytes, sha256Of } from './files.ts';
import { csrfFrom, signIn, startTestApp, uploadUrl, type TestContext } from './helpers.ts';

type Agent = request.Agent;

/** A request carrying more files than any form takes: parsing it is what answers 413. */
function withManyFiles(req: request.Test, field = 'fulfilmentEvidence'): request.Test {
  for (let n = 1; n <= 101; n++) req = req.attach(field, PNG, { filename: `${n}.png`, contentType: 'image/png' });
  return req;
}

/** Uploads go through multer to files in the request's own folder, checked and stored in the database. */
describe('uploads', () => {
  let ctx: TestContext;
  let officer: Agent;
  let commitmentId: number;
  let milestoneId: number;
  let token: string;
  let uploadsDir: string;
  const savedTmpDir = process.env.TMPDIR;
  /** Folders uploads left behind in this test's own temporary folder. */
  const leftBehind = () => readdirSync(uploadsDir).filter((name) => name.startsWith(UPLOAD_DIR_PREFIX));

  before(async () => {
    ctx = await startTestApp();
    // Uploads go to the system's temporary folder: here one of this test's own, so that nothing else writes there.
    uploadsDir = mkdtempSync(path.join(tmpdir(), 'il-uploads-test-'));
    process.env.TMPDIR = uploadsDir;
    const officer1 = await demoUser(ctx.db, 'officer1');
    const enterprise1 = await demoUser(ctx.db, 'enterprise1');
    commitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { enterpriseId: enterprise1.enterpriseId, signedOn: daysFromToday(-60) }));
    milestoneId = (await ctx.db('milestones').where({ commitment_id: commitmentId }).first('id')).id;
    officer = await signIn(ctx.app, 'officer1');
    token = await csrfFrom(officer, `/commitments/${commitmentId}`);
  });
  after(async () => {
    if (savedTmpDir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpDir;
    rmSync(uploadsDir, { recursive: true, force: true });
    await ctx.close();
  });

  describe('are read only after sign-in, role and CSRF checks', () => {
    const fulfilments = () => `/commitments/${commitmentId}/fulfilments`;

    it('so a body no form could take answers as the checks do, not 413', async () => {
      const anonymous = await withManyFiles(request(ctx.app).post(uploadUrl(fulfilments(), 'whatever')));
      expect(anonymous.status, 'visitor: CSRF').to.equal(403);
      const enterprise = await signIn(ctx.app, 'enterprise1');
      const wrongRole = await withManyFiles(enterprise.post(uploadUrl(fulfilments(), await csrfFrom(enterprise, '/'))));
      expect(wrongRole.status, 'enterprise user: role').to.equal(403);
      const forged = await withManyFiles(officer.post(uploadUrl(fulfilments(), 'forged')));
      expect(forged.status, 'forged token').to.equal(403);
      const unknownPath = await withManyFiles(enterprise.post(uploadUrl('/no-such-form', await csrfFrom(enterprise, '/'))));
      expect(unknownPath.status, 'unknown path').to.equal(404);
      const formWithoutFiles = await withManyFiles(officer.post(uploadUrl(`/commitments/${commitmentId}/handovers`, token)));
      expect(formWithoutFiles.status, 'a form that takes no files reads no body').to.equal(422);
      expect(formWithoutFiles.text).to.include('此项必填。');
      const allowed = await withManyFiles(officer.post(uploadUrl(fulfilments(), token)));
      expect(allowed.status, 'the form that takes files reads it, and refuses it').to.equal(413);
      expect(leftBehind()).to.deep.equal([]);
    });
  });

  describe('are streamed to a temporary folder of the request’s own', () => {
    it('stores the bytes it was sent, hashed, and leaves no folder behind', async () => {
      const pdf = await pdfBytes('流式上传');
      const res = await officer.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token))
        .field('fulfilmentMilestoneId', String(milestoneId)).field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '分两份材料提交').field('fulfilmentAmount', '')
        .attach('fulfilmentEvidence', pdf, { filename: '验收单.pdf', contentType: 'application/pdf' })
        .attach('fulfilmentEvidence', PNG, { filename: '现场.png', contentType: 'image/png' });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      const stored = await ctx.db('evidence_attachments').where('original_name', 'in', ['验收单.pdf', '现场.png']).orderBy('id').select('original_name', 'sha256');
      expect(stored.map((f) => [f.original_name, f.sha256])).to.deep.equal([['验收单.pdf', sha256Of(pdf)], ['现场.png', sha256Of(PNG)]]);
      expect(Buffer.compare(await blobBytes(ctx.db, stored[0].sha256), pdf)).to.equal(0);
      expect(leftBehind()).to.deep.equal([]);
    });

    it('refuses a file over 20 MB by name, keeps the rest of the form and leaves no folder behind', async () => {
      const res = await officer.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token))
        .field('fulfilmentMilestoneId', String(milestoneId)).field('fulfilledOn', daysFromToday(0)).field('fulfilmentNote', '附超大扫描件').field('fulfilmentAmount', '')
        .attach('fulfilmentEvidence', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x25), { filename: '超大扫描件.pdf', contentType: 'application/pdf' })
        .attach('fulfilmentEvidence', PNG, { filename: '小图.png', contentType: 'image/png' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('“超大扫描件.pdf”超过 20 MB，未上传。');
      expect(res.text).to.include('附超大扫描件');
      expect(await ctx.db('evidence_attachments').where({ original_name: '小图.png' }).first()).to.equal(undefined);
      expect(leftBehind()).to.deep.equal([]);
    });

    it('leaves no folder behind when the body breaks off halfway through a file', async () => {
      const boundary = 'il-test-boundary';
      const body = [
        `--${boundary}`, 'Content-Disposition: form-data; name="fulfilmentNote"', '', '断开的上传',
        `--${boundary}`, 'Content-Disposition: form-data; name="fulfilmentEvidence"; filename="半截.pdf"', 'Content-Type: application/pdf', '', '%PDF-1.4 half a file',
      ].join('\r\n');
      const res = await officer.post(uploadUrl(`/commitments/${commitmentId}/fulfilments`, token) + '&lang=en')
        .set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.include('The upload was incomplete or malformed; please choose the files again and resubmit.');
      expect(leftBehind()).to.deep.equal([]);
    });
  });
});
