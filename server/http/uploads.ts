import type { Request } from 'express';
import multer, { type StorageEngine } from 'multer';
import { HttpError } from './errors.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Files kept per request; more are drained and reported one by one, like a file too large. */
export const MAX_UPLOAD_FILES = 10;
/** Past this many files the request itself is refused (413): no form needs them. */
const MAX_UPLOAD_PARTS = 100;

export interface UploadedFile {
  fieldname: string;
  originalname: string;
  buffer: Buffer;
  size: number;
  /** Past the size limit: the bytes were drained and dropped, so the rest of the form survives. */
  tooLarge: boolean;
  /** Past the number of files one request keeps: drained and dropped the same way. */
  overFileLimit: boolean;
}

const filesSeen = new WeakMap<Request, number>();

/** Keeps files in memory up to the limits; a file past them is read to its end and marked, not aborted. */
const boundedMemoryStorage: StorageEngine = {
  _handleFile(req, file, cb) {
    const seen = (filesSeen.get(req) ?? 0) + 1;
    filesSeen.set(req, seen);
    const overFileLimit = seen > MAX_UPLOAD_FILES;
    const chunks: Buffer[] = [];
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_UPLOAD_BYTES && !overFileLimit) chunks.push(chunk);
      else chunks.length = 0;
    });
    file.stream.on('error', cb);
    file.stream.on('end', () => {
      const tooLarge = size > MAX_UPLOAD_BYTES;
      const kept = !tooLarge && !overFileLimit;
      cb(null, { buffer: kept ? Buffer.concat(chunks) : Buffer.alloc(0), size, tooLarge, overFileLimit } as Partial<Express.Multer.File>);
    });
  },
  _removeFile(_req, _file, cb) {
    cb(null);
  },
};

// Browsers send file names as raw UTF-8 (中文文件名); busboy would read them as latin1 by default.
const multipart = multer({ storage: boundedMemoryStorage, limits: { files: MAX_UPLOAD_PARTS, fields: 5000 }, defParamCharset: 'utf8' }).any();

/** Parses a multipart body into req.body and req.files; a body past multer's hard limits is a 413. */
export function parseMultipart(req: Request, res: Parameters<typeof multipart>[1], next: (err?: unknown) => void): void {
  multipart(req, res, (err?: unknown) => next(err instanceof multer.MulterError ? new HttpError(413, 'payload_too_large', 'errors.tooLarge') : err));
}

export function uploadedFiles(req: Request, field: string): UploadedFile[] {
  const files = (req.files ?? []) as unknown as UploadedFile[];
  return files.filter((f) => f.fieldname === field && (f.size > 0 || f.originalname));
}
