import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { EXE, JPEG, OLE_DOC, PNG, docxBytes, pdfBytes, uploadedFile, xlsxBytes, zipBytes } from '../../test/files.ts';
import { checkUploads } from './check.ts';
import { evidenceCatalogue } from './locales.ts';

const upload = uploadedFile;

const ALLOWED = 'PDF, JPEG, PNG, DOCX, XLSX';

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('evidence upload checks', () => {
  it('accepts real PDF, JPEG, PNG, DOCX and XLSX files with the type read from their bytes', async () => {
    const files = [
      upload('履约证明.pdf', await pdfBytes()),
      upload('现场照片.JPG', JPEG),
      upload('scan.jpeg', JPEG),
      upload('截图.png', PNG),
      upload('验收报告.docx', await docxBytes()),
      upload('付款明细.xlsx', await xlsxBytes()),
    ];
    const { files: checked, errors } = await checkUploads(files, 'evidence');
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

  it('refuses spoofed, unsupported, empty, oversized and surplus files, each error naming the file and the reason at the field', async () => {
    const { files, errors } = await checkUploads(
      [
        upload('发票.pdf', PNG),
        upload('invoice.pdf', EXE),
        upload('archive.pdf', await zipBytes()),
        upload('notes.pdf', Buffer.from('合同履行情况说明：已支付首期款。\n')),
        upload('old-report.pdf', OLE_DOC),
        upload('photo.png', JPEG),
        upload('空白.pdf', Buffer.alloc(0)),
        upload('大文件.pdf', Buffer.alloc(0), { tooLarge: true }),
        upload('good.pdf', await pdfBytes()),
        upload('第十一个.pdf', Buffer.alloc(0), { overFileLimit: true }),
      ],
      'fulfilment.evidence',
    );
    expect(files.map((f) => f.originalName)).to.deep.equal(['good.pdf']);
    expect(errors.map((e) => [e.path, e.key, e.params])).to.deep.equal([
      ['fulfilment.evidence', 'evidence:refused.typeMismatch', { name: '发票.pdf', detected: 'PNG', extension: '.pdf' }],
      ['fulfilment.evidence', 'evidence:refused.typeNotAllowed', { name: 'invoice.pdf', detected: 'EXE', allowed: ALLOWED }],
      ['fulfilment.evidence', 'evidence:refused.typeNotAllowed', { name: 'archive.pdf', detected: 'ZIP', allowed: ALLOWED }],
      ['fulfilment.evidence', 'evidence:refused.unknownType', { name: 'notes.pdf', allowed: ALLOWED }],
      ['fulfilment.evidence', 'evidence:refused.typeNotAllowed', { name: 'old-report.pdf', detected: 'CFB', allowed: ALLOWED }],
      ['fulfilment.evidence', 'evidence:refused.typeMismatch', { name: 'photo.png', detected: 'JPEG', extension: '.png' }],
      ['fulfilment.evidence', 'evidence:refused.empty', { name: '空白.pdf' }],
      ['fulfilment.evidence', 'evidence:refused.tooLarge', { name: '大文件.pdf', max: 20 }],
      ['fulfilment.evidence', 'evidence:refused.tooManyFiles', { name: '第十一个.pdf', max: 10 }],
    ]);
  });

  it('keeps only the file name of a path a browser sent', async () => {
    const { files } = await checkUploads([upload('C:\\Users\\li\\Desktop\\证明.png', PNG)], 'evidence');
    expect(files[0]!.originalName).to.equal('证明.png');
  });

  it('has every string in Chinese and English, including each reason a file is refused', () => {
    expect(leafKeys(evidenceCatalogue.en).sort()).to.deep.equal(leafKeys(evidenceCatalogue['zh-CN']).sort());
    for (const reason of ['tooLarge', 'empty', 'unknownType', 'typeNotAllowed', 'typeMismatch', 'tooManyFiles']) {
      expect(leafKeys(evidenceCatalogue['zh-CN']), reason).to.include(`refused.${reason}`);
    }
  });
});
