import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import type request from 'supertest';
import { MAX_UPLOAD_BYTES, type UploadedFile } from '../server/http/uploads.ts';

/** Real files of each accepted type, and impostors, for tests of evidence uploads. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
/** The first bytes of a Windows executable and of an old binary Word (OLE compound) file. */
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
export const OLE_DOC = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

export async function pdfBytes(text = 'Fulfilment certificate'): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

/** A PDF of `size` bytes (a header, padding and the end marker), for files larger than one stored chunk; each `mark` gives other bytes. */
export function bigPdf(size: number, mark = 'big file'): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  bytes.write(`%PDF-1.4\n% ${mark}\n`);
  for (let at = 4096; at < size - 4096; at += 4096) bytes.writeUInt32BE(at ^ 0x5a5a5a5a, at);
  bytes.write('\n%%EOF\n', size - 7);
  return bytes;
}

export async function xlsxBytes(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('付款明细').addRow(['金额', 100]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function docxBytes(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>验收报告</w:t></w:r></w:p></w:body></w:document>');
  return zip.generateAsync({ type: 'nodebuffer' });
}

export async function zipBytes(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('readme.txt', 'not evidence');
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** Collects a supertest response body as bytes, whatever its type. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

let folder: string | null = null;
let written = 0;

/** Writes bytes to a file of the test process's own temporary folder, removed when the process exits. */
export function fileOnDisk(bytes: Buffer): string {
  if (!folder) {
    const made = mkdtempSync(path.join(tmpdir(), 'il-test-files-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    folder = made;
  }
  const file = path.join(folder, String(++written));
  writeFileSync(file, bytes);
  return file;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A file as the upload parser hands it to a form's check: kept on disk and hashed, or dropped past a limit. */
export function uploadedFile(originalname: string, bytes: Buffer, marks: Partial<Pick<UploadedFile, 'tooLarge' | 'overFileLimit' | 'fieldname'>> = {}): UploadedFile {
  const tooLarge = marks.tooLarge ?? false;
  const dropped = tooLarge || (marks.overFileLimit ?? false);
  return {
    fieldname: marks.fieldname ?? 'evidence',
    originalname,
    path: dropped ? '' : fileOnDisk(bytes),
    size: tooLarge ? MAX_UPLOAD_BYTES + 1 : bytes.length,
    sha256: dropped ? '' : sha256Of(bytes),
    tooLarge,
    overFileLimit: marks.overFileLimit ?? false,
  };
}
