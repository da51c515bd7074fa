import type { Request } from 'express';
import multer, { type StorageEngine } from 'multer';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_UPLOAD_FILES = 10;

export interface UploadedFile {
  fieldname: string;
  originalname: string;
  buffer: Buffer;
  size: number;
  /** Past the size limit: the bytes were drained and dropped, so the rest of the form survives. */
  tooLarge: boolean;
}

/** Keeps files in memory up to the limit; a larger file is read to its end and marked, not aborted. */
const boundedMemoryStorage: StorageEngine = {
  _handleFile(_req, file, cb) {
    const chunks: Buffer[] = [];
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_UPLOAD_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    file.stream.on('error', cb);
    file.stream.on('end', () => {
      const tooLarge = size > MAX_UPLOAD_BYTES;
      cb(null, { buffer: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, tooLarge } as Partial<Express.Multer.File>);
    });
  },
  _removeFile(_req, _file, cb) {
    cb(null);
  },
};

// Browsers send file names as raw UTF-8 (中文文件名); busboy would read them as latin1 by default.
export const parseMultipart = multer({ storage: boundedMemoryStorage, limits: { files: MAX_UPLOAD_FILES, fields: 5000 }, defParamCharset: 'utf8' }).any();

export function uploadedFiles(req: Request, field: string): UploadedFile[] {
  const files = (req.files ?? []) as unknown as UploadedFile[];
  return files.filter((f) => f.fieldname === field && (f.size > 0 || f.originalname));
}
