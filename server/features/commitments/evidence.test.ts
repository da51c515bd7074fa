import { createHash } from 'node:crypto';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import type request from 'supertest';
import type { SessionUser } from '../../auth/types.ts';
import { MAX_UPLOAD_BYTES, type UploadedFile } from '../../http/uploads.ts';
import { signIn, startTestApp, type TestContext } from '../../../test/helpers.ts';
import { storeEvidence, checkEvidenceFiles, type CheckedFile } from './evidence.ts';
import { createCommitment } from './service/register.ts';
import { recordFulfilment } from './service/fulfilments.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser, TEST_CLOCK } from '../../../test/factories.ts';
import { recordAudit } from '../../audit/chain.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
/** The first bytes of a Windows executable and of an old binary Word (OLE compound) file. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const OLE_DOC = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

async function pdfBytes(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text('Fulfilment certificate');
  doc.end();
  return done;
}

async function xlsxBytes(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('付款明细').addRow(['金额', 100]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function docxBytes(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>验收报告</w:t></w:r></w:p></w:body></w:document>');
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function zipBytes(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('readme.txt', 'not evidence');
  return zip.generateAsync({ type: 'nodebuffer' });
}

function upload(originalname: string, buffer: Buffer, tooLarge = false): UploadedFile {
  return { fieldname: 'evidence', originalname, buffer, size: tooLarge ? MAX_UPLOAD_BYTES + 1 : buffer.length, tooLarge };
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('evidence files', () => {
  describe('checkEvidenceFiles', () => {
    it('accepts real PDF, JPEG, PNG, DOCX and XLSX files with the type read from their bytes', async () => {
      const files = [
        upload('履约证明.pdf', await pdfBytes()),
        upload('现场照片.JPG', JPEG),
        upload('scan.jpeg', JPEG),
        upload('截图.png', PNG),
        upload('验收报告.docx', await docxBytes()),
        upload('付款明细.xlsx', await xlsxBytes()),
      ];
      const { files: checked, errors } = await checkEvidenceFiles(files, 'evidence');
      expect(errors).to.deep.equal([]);
      expect(checked.map((f) => [f.originalName, f.mime])).to.deep.equal([
        ['履约证明.pdf', 'application/pdf'],
        ['现场照片.JPG', 'image/jpeg'],
        ['scan.jpeg', 'image/jpeg'],
        ['截图.png', 'image/png'],
        ['验收报告.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        ['付款明细.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ]);
      expect(checked[3]!.sha256).to.equal(createHash('sha256').update(PNG).digest('hex'));
      expect(checked[3]!.size).to.equal(PNG.length);
    });

    it('refuses spoofed and unsupported files, each error naming the file and the reason at the field', async () => {
      const { files, errors } = await checkEvidenceFiles(
        [
          upload('发票.pdf', PNG),
          upload('invoice.pdf', EXE),
          upload('archive.pdf', await zipBytes()),
          upload('notes.pdf', Buffer.from('合同履行情况说明：已支付首期款。\n')),
          upload('old-report.pdf', OLE_DOC),
          upload('photo.png', JPEG),
          upload('空白.pdf', Buffer.alloc(0)),
          upload('大文件.pdf', Buffer.alloc(0), true),
          upload('good.pdf', await pdfBytes()),
        ],
        'fulfilment.evidence',
      );
      expect(files.map((f) => f.originalName)).to.deep.equal(['good.pdf']);
      expect(errors.map((e) => [e.path, e.key, e.params])).to.deep.equal([
        ['fulfilment.evidence', 'commitments:files.evidence.typeMismatch', { name: '发票.pdf', detected: 'PNG', extension: '.pdf' }],
        ['fulfilment.evidence', 'commitments:files.evidence.typeNotAllowed', { name: 'invoice.pdf', detected: 'EXE' }],
        ['fulfilment.evidence', 'commitments:files.evidence.typeNotAllowed', { name: 'archive.pdf', detected: 'ZIP' }],
        ['fulfilment.evidence', 'commitments:files.evidence.unknownType', { name: 'notes.pdf' }],
        ['fulfilment.evidence', 'commitments:files.evidence.typeNotAllowed', { name: 'old-report.pdf', detected: 'CFB' }],
        ['fulfilment.evidence', 'commitments:files.evidence.typeMismatch', { name: 'photo.png', detected: 'JPEG', extension: '.png' }],
        ['fulfilment.evidence', 'commitments:files.evidence.empty', { name: '空白.pdf' }],
        ['fulfilment.evidence', 'commitments:files.evidence.tooLarge', { name: '大文件.pdf', max: 20 }],
      ]);
    });

    it('keeps only the file name of a path a browser sent', async () => {
      const { files } = await checkEvidenceFiles([upload('C:\\Users\\li\\Desktop\\证明.png', PNG)], 'evidence');
      expect(files[0]!.originalName).to.equal('证明.png');
    });
  });

  describe('storage and download', () => {
    let ctx: TestContext;
    let officer1: SessionUser;
    let commitmentId: number;
    let otherCommitmentId: number;
    let fulfilmentId: number;
    let pdf: CheckedFile;

    before(async () => {
      ctx = await startTestApp();
      officer1 = await demoUser(ctx.db, 'officer1');
      const enterprise1 = await demoUser(ctx.db, 'enterprise1');
      commitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { enterpriseId: enterprise1.enterpriseId, signedOn: daysFromToday(-30) }));
      otherCommitmentId = await createCommitment(ctx, callerFor(officer1), commitmentInput(officer1.agencyId!, { signedOn: daysFromToday(-30) }));
      const milestone = await ctx.db('milestones').where({ commitment_id: commitmentId }).first('id');
      ({ fulfilmentId } = await recordFulfilment(ctx, callerFor(officer1), commitmentId, milestone.id, { fulfilledOn: daysFromToday(-1), note: '已支付首期款', amountFen: 100_000, complete: false }));
      const checked = await checkEvidenceFiles([upload('履约证明 (盖章).pdf', await pdfBytes())], 'evidence');
      pdf = checked.files[0]!;
    });
    after(() => ctx.close());

    it('stores the same bytes once, links every upload with its own name and audits it on the commitment', async () => {
      const at = TEST_CLOCK.now().toISOString();
      await ctx.db.transaction(async (trx) => {
        const entry = await storeEvidence(trx, officer1.id, { commitmentId, ownerType: 'fulfilment', ownerIds: [fulfilmentId] }, [pdf], at);
        await recordAudit(trx, callerFor(officer1).actor, entry!);
      });
      await ctx.db.transaction((trx) => storeEvidence(trx, officer1.id, { commitmentId: otherCommitmentId, ownerType: 'breach', ownerIds: [1] }, [{ ...pdf, originalName: '副本.pdf' }], at));

      const blobs = await ctx.db('evidence_blobs').where({ sha256: pdf.sha256 }).select('size', 'mime');
      expect(blobs).to.have.length(1);
      expect(Number(blobs[0].size)).to.equal(pdf.size);
      const links = await ctx.db('evidence_files').where({ sha256: pdf.sha256 }).orderBy('id').select('original_name', 'commitment_id', 'owner_type', 'owner_id', 'uploaded_by');
      expect(links).to.deep.equal([
        { original_name: '履约证明 (盖章).pdf', commitment_id: commitmentId, owner_type: 'fulfilment', owner_id: fulfilmentId, uploaded_by: officer1.id },
        { original_name: '副本.pdf', commitment_id: otherCommitmentId, owner_type: 'breach', owner_id: 1, uploaded_by: officer1.id },
      ]);
      const audit = await ctx.db('audit_log').where({ action: 'commitment.evidence_attached', entity_type: 'commitment', entity_id: String(commitmentId) }).select('after_json');
      expect(audit).to.have.length(1);
      expect(JSON.parse(audit[0].after_json)).to.deep.include({ ownerType: 'fulfilment', ownerIds: [fulfilmentId] });
    });

    it('downloads the bytes as an attachment under the original Chinese name, with the stored type', async () => {
      const file = await ctx.db('evidence_files').where({ commitment_id: commitmentId }).first('id');
      const agent = await signIn(ctx.app, 'officer1');
      const res = await agent.get(`/commitments/${commitmentId}/evidence/${file.id}`).buffer(true).parse(binary);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers['content-length']).to.equal(String(pdf.size));
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['content-disposition']).to.equal(
        `attachment; filename="_ (_).pdf"; filename*=UTF-8''${encodeURIComponent('履约证明 ')}%28${encodeURIComponent('盖章')}%29.pdf`,
      );
      expect(Buffer.compare(res.body as Buffer, pdf.buffer)).to.equal(0);
    });

    it('lets the counterparty enterprise and the auditors download, but not another agency (404) or an administrator (403)', async () => {
      const file = await ctx.db('evidence_files').where({ commitment_id: commitmentId }).first('id');
      const url = `/commitments/${commitmentId}/evidence/${file.id}`;
      expect((await (await signIn(ctx.app, 'enterprise1')).get(url)).status).to.equal(200);
      expect((await (await signIn(ctx.app, 'auditor')).get(url)).status).to.equal(200);
      expect((await (await signIn(ctx.app, 'officer2')).get(url)).status).to.equal(404);
      expect((await (await signIn(ctx.app, 'admin')).get(url)).status).to.equal(403);
    });

    it('answers 404 for a file of another commitment, even to a reader of both', async () => {
      const other = await ctx.db('evidence_files').where({ commitment_id: otherCommitmentId }).first('id');
      const agent = await signIn(ctx.app, 'officer1');
      expect((await agent.get(`/commitments/${commitmentId}/evidence/${other.id}`)).status).to.equal(404);
      expect((await agent.get(`/commitments/${otherCommitmentId}/evidence/${other.id}`)).status).to.equal(200);
      expect((await agent.get(`/commitments/999999/evidence/${other.id}`)).status).to.equal(404);
    });
  });
});
