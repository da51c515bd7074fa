import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import type { FieldError } from '../http/errors.ts';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, type UploadedFile } from '../http/uploads.ts';

/** The evidence types we accept, as detected from the bytes, with the file name extensions each may carry. */
const EVIDENCE_TYPES: Record<string, { mime: string; extensions: string[]; label: string }> = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'], label: 'PDF' },
  jpg: { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG' },
  png: { mime: 'image/png', extensions: ['.png'], label: 'PNG' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], label: 'DOCX' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], label: 'XLSX' },
};

const ALLOWED_LABELS = Object.values(EVIDENCE_TYPES).map((t) => t.label).join(', ');

/** What an upload field tells the user (and the browser's file picker) before anything is sent. */
export const EVIDENCE_UPLOAD = {
  accept: Object.values(EVIDENCE_TYPES).flatMap((t) => t.extensions).join(','),
  types: ALLOWED_LABELS,
  maxMb: MAX_UPLOAD_BYTES / (1024 * 1024),
  maxFiles: MAX_UPLOAD_FILES,
} as const;

/** An uploaded file that passed every check, ready to store: its bytes are in a file of the request's own (`path`). */
export interface CheckedFile {
  originalName: string;
  path: string;
  mime: string;
  size: number;
  sha256: string;
}

/** A file name as the user chose it, without any directory part a browser may have sent. */
function baseName(name: string): string {
  return path.basename(name.replace(/\\/g, '/')).trim().slice(0, 255);
}

/**
 * Accepts PDF, JPEG, PNG, DOCX and XLSX files within the upload limit. The type is read from the
 * bytes; the name's extension must agree with it, so that a file opens as what its name says.
 * Every refused file gets its own error at `field`, naming the file and the reason.
 */
export async function checkUploads(files: UploadedFile[], field: string): Promise<{ files: CheckedFile[]; errors: FieldError[] }> {
  const checked: CheckedFile[] = [];
  const errors: FieldError[] = [];
  for (const file of files) {
    const name = baseName(file.originalname) || '—';
    const refuse = (reason: string, params: Record<string, unknown> = {}) => errors.push({ path: field, key: `evidence:refused.${reason}`, params: { name, ...params } });
    if (file.overFileLimit) {
      refuse('tooManyFiles', { max: EVIDENCE_UPLOAD.maxFiles });
      continue;
    }
    if (file.tooLarge) {
      refuse('tooLarge', { max: EVIDENCE_UPLOAD.maxMb });
      continue;
    }
    if (file.size === 0) {
      refuse('empty');
      continue;
    }
    const detected = await fileTypeFromFile(file.path);
    if (!detected) {
      refuse('unknownType', { allowed: ALLOWED_LABELS });
      continue;
    }
    const type = EVIDENCE_TYPES[detected.ext];
    if (!type) {
      refuse('typeNotAllowed', { detected: detected.ext.toUpperCase(), allowed: ALLOWED_LABELS });
      continue;
    }
    const extension = path.extname(name).toLowerCase();
    if (!type.extensions.includes(extension)) {
      refuse('typeMismatch', { detected: type.label, extension: extension || '—' });
      continue;
    }
    checked.push({ originalName: name, path: file.path, mime: type.mime, size: file.size, sha256: file.sha256 });
  }
  return { files: checked, errors };
}
