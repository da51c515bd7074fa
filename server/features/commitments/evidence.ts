import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Knex } from 'knex';
import type { ScopedRecord } from '../../auth/policy.ts';
import type { FieldError } from '../../http/errors.ts';
import { MAX_UPLOAD_BYTES, type UploadedFile } from '../../http/uploads.ts';
import type { AuditEntryInput } from '../../audit/chain.ts';

/** The evidence types we accept, as detected from the bytes, with the file name extensions each may carry. */
const EVIDENCE_TYPES: Record<string, { mime: string; extensions: string[]; label: string }> = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'], label: 'PDF' },
  jpg: { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG' },
  png: { mime: 'image/png', extensions: ['.png'], label: 'PNG' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], label: 'DOCX' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], label: 'XLSX' },
};

export const EVIDENCE_MAX_MB = MAX_UPLOAD_BYTES / (1024 * 1024);

export interface CheckedFile {
  originalName: string;
  buffer: Buffer;
  mime: string;
  size: number;
  sha256: string;
}

export type EvidenceOwnerType = 'fulfilment' | 'waiver' | 'breach';

/** A file name as the user chose it, without any directory part a browser may have sent. */
function baseName(name: string): string {
  return path.basename(name.replace(/\\/g, '/')).trim().slice(0, 255);
}

/**
 * Accepts PDF, JPEG, PNG, DOCX and XLSX files of at most 20 MB. The type is read from the bytes;
 * the name's extension must agree with it, so that a file opens as what its name says.
 * Every refused file gets its own error (at `field`, naming the file and the reason).
 */
export async function checkEvidenceFiles(files: UploadedFile[], field: string): Promise<{ files: CheckedFile[]; errors: FieldError[] }> {
  const checked: CheckedFile[] = [];
  const errors: FieldError[] = [];
  for (const file of files) {
    const name = baseName(file.originalname) || '—';
    const refuse = (reason: string, params: Record<string, unknown> = {}) => errors.push({ path: field, key: `commitments:files.evidence.${reason}`, params: { name, ...params } });
    if (file.tooLarge) {
      refuse('tooLarge', { max: EVIDENCE_MAX_MB });
      continue;
    }
    if (file.buffer.length === 0) {
      refuse('empty');
      continue;
    }
    const detected = await fileTypeFromBuffer(file.buffer);
    const type = detected ? EVIDENCE_TYPES[detected.ext] : undefined;
    if (!detected) {
      refuse('unknownType');
      continue;
    }
    if (!type) {
      refuse('typeNotAllowed', { detected: detected.ext.toUpperCase() });
      continue;
    }
    const extension = path.extname(name).toLowerCase();
    if (!type.extensions.includes(extension)) {
      refuse('typeMismatch', { detected: type.label, extension: extension || '—' });
      continue;
    }
    checked.push({
      originalName: name,
      buffer: file.buffer,
      mime: type.mime,
      size: file.buffer.length,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
    });
  }
  return { files: checked, errors };
}

/**
 * Stores each file's bytes once under their SHA-256 and links them to what they prove (a fulfilment,
 * a waiver request or a breach), inside the use case's transaction. Returns the audit entry for the
 * use case to record with its own, or null when there were no files.
 */
export async function storeEvidence(
  trx: Knex,
  uploadedBy: number | null,
  target: { commitmentId: number; ownerType: EvidenceOwnerType; ownerIds: number[] },
  files: CheckedFile[],
  at: string,
): Promise<AuditEntryInput | null> {
  if (files.length === 0 || target.ownerIds.length === 0) return null;
  // Another request may store the same bytes at the same moment: the second insert is a no-op.
  await trx('evidence_blobs').insert(files.map((f) => ({ sha256: f.sha256, mime: f.mime, size: f.size, data: f.buffer, created_at: at }))).onConflict('sha256').ignore();
  const links = target.ownerIds.flatMap((ownerId) => files.map((f) => ({ sha256: f.sha256, original_name: f.originalName, commitment_id: target.commitmentId, owner_type: target.ownerType, owner_id: ownerId, uploaded_by: uploadedBy, created_at: at })));
  const ids: Array<{ id: number }> = await trx('evidence_files').insert(links).returning('id');
  return {
    action: 'commitment.evidence_attached',
    entityType: 'commitment',
    entityId: target.commitmentId,
    after: { ownerType: target.ownerType, ownerIds: target.ownerIds, files: links.map((l, i) => ({ fileId: Number(ids[i]!.id), name: l.original_name, sha256: l.sha256 })) },
  };
}

export interface EvidenceDownload {
  originalName: string;
  mime: string;
  size: number;
  data: Buffer;
}

/** One evidence file of one commitment with its bytes, or null when the file belongs elsewhere. */
export async function evidenceFileOf(db: Knex, commitmentId: number, fileId: number): Promise<EvidenceDownload | null> {
  const row = await db('evidence_files as f')
    .join('evidence_blobs as b', 'b.sha256', 'f.sha256')
    .where({ 'f.id': fileId, 'f.commitment_id': commitmentId })
    .first('f.original_name', 'b.mime', 'b.size', 'b.data');
  if (!row) return null;
  return { originalName: row.original_name, mime: row.mime, size: Number(row.size), data: Buffer.from(row.data) };
}

/** The agency and enterprise a commitment belongs to, for the policy's read check; null when there is none. */
export async function commitmentScopeOf(db: Knex, commitmentId: number): Promise<ScopedRecord | null> {
  const row = await db('commitments').where({ id: commitmentId }).first('agency_id', 'enterprise_id');
  return row ? { agencyId: Number(row.agency_id), enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id) } : null;
}
