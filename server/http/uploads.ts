import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { type StorageEngine } from 'multer';
import onHeaders from 'on-headers';
import { HttpError, badRequest } from './errors.ts';

/*
 * File uploads: a multipart body is read only by a route that takes files (actionForm's `files`),
 * and so only after the sign-in, role and CSRF checks have passed. Each file is streamed to a
 * temporary folder of its own request, hashed (SHA-256) as it is written, and the folder is
 * removed as the response begins, whatever the outcome: nothing is held in memory, and nothing on
 * disk outlives the request. A route is therefore done with its files before it answers.
 */

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Files kept per request; more are drained and reported one by one, like a file too large. */
export const MAX_UPLOAD_FILES = 10;
/** Past this many files the request itself is refused (413): no form needs them. */
const MAX_UPLOAD_PARTS = 100;
/** Temporary folders of uploads start with this, in the system's temporary folder. */
export const UPLOAD_DIR_PREFIX = 'il-upload-';

export interface UploadedFile {
  fieldname: string;
  originalname: string;
  /** Where the bytes are, for this request only; '' when they were not kept (past a limit). */
  path: string;
  /** Bytes received, counted to the end even when they were not kept. */
  size: number;
  /** SHA-256 of the kept bytes, in hex; '' when they were not kept. */
  sha256: string;
  /** Past the size limit: the bytes were drained and dropped, so the rest of the form survives. */
  tooLarge: boolean;
  /** Past the number of files one request keeps: drained and dropped the same way. */
  overFileLimit: boolean;
}

export function isMultipart(req: Request): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** One request's uploads: which field takes files, how many came, and the folder they are written to. */
class RequestUploads {
  files = 0;
  private folder: string | null = null;
  private making: Promise<string> | null = null;
  private ended = false;

  constructor(readonly field: string) {}

  /** The request's folder, made when its first file arrives; refused once the response has begun. */
  async directory(): Promise<string> {
    this.making ??= mkdtemp(path.join(tmpdir(), UPLOAD_DIR_PREFIX)).then((made) => {
      this.folder = made;
      if (this.ended) this.remove();
      return made;
    });
    const folder = await this.making;
    if (this.ended) throw new Error('the response has begun');
    return folder;
  }

  /**
   * Removes the folder and everything in it. Called as the response's headers go out, when the route
   * is done with its files, so that the folder is gone before the client hears the answer; and
   * again when the connection closes, for a request abandoned before any answer.
   */
  remove(): void {
    this.ended = true;
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
  }
}

const uploadsOf = new WeakMap<Request, RequestUploads>();

/** A failure to write an upload to disk: the server's fault (500), unlike a malformed body (400). */
class UploadWriteFailed extends Error {
  constructor(cause: unknown) {
    super(`could not store an upload: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

async function drain(stream: Readable): Promise<number> {
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) size += chunk.length;
  return size;
}

/** A write may take only part of a chunk (a disk filling up): the rest is written, or the failure said. */
async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await file.write(chunk, at, chunk.length - at).catch((err: unknown) => {
      throw new UploadWriteFailed(err);
    });
    if (bytesWritten === 0) throw new UploadWriteFailed(new Error('nothing was written'));
    at += bytesWritten;
  }
}

/** Writes the stream to `target` while hashing it, up to MAX_UPLOAD_BYTES; a longer file is drained to its end and removed. */
async function keep(stream: Readable, target: string): Promise<{ size: number; sha256: string; kept: boolean }> {
  const hash = createHash('sha256');
  const file = await open(target, 'wx', 0o600).catch((err: unknown) => {
    throw new UploadWriteFailed(err);
  });
  let size = 0;
  let kept = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) kept = false;
      if (!kept) continue;
      hash.update(chunk);
      await writeAll(file, chunk);
    }
  } finally {
    await file.close();
    if (!kept) await rm(target, { force: true });
  }
  return { size, kept, sha256: kept ? hash.digest('hex') : '' };
}

const temporaryFolderStorage: StorageEngine = {
  _handleFile(req, file, cb) {
    const uploads = uploadsOf.get(req)!;
    const store = async (): Promise<Partial<UploadedFile>> => {
      // A file under another name than the form's file field is not for this form: dropped unread.
      if (file.fieldname !== uploads.field) return { path: '', size: await drain(file.stream), sha256: '', tooLarge: false, overFileLimit: false };
      const number = ++uploads.files;
      if (number > MAX_UPLOAD_FILES) {
        const size = await drain(file.stream);
        return { path: '', size, sha256: '', tooLarge: size > MAX_UPLOAD_BYTES, overFileLimit: true };
      }
      const target = path.join(await uploads.directory().catch((err: unknown) => Promise.reject(new UploadWriteFailed(err))), String(number));
      const { size, sha256, kept } = await keep(file.stream, target);
      return { path: kept ? target : '', size, sha256, tooLarge: !kept, overFileLimit: false };
    };
    store().then((info) => cb(null, info as Partial<Express.Multer.File>), (err: unknown) => cb(err as Error));
  },
  _removeFile(_req, file, cb) {
    const stored = (file as unknown as UploadedFile).path;
    if (!stored) return cb(null);
    rm(stored, { force: true }).then(() => cb(null), cb);
  },
};

// Browsers send file names as raw UTF-8 (中文文件名); busboy would read them as latin1 by default.
const multipart = multer({ storage: temporaryFolderStorage, limits: { files: MAX_UPLOAD_PARTS, fields: 5000 }, defParamCharset: 'utf8' }).any();

/** Past one of multer's hard limits: 413. A body that is not well-formed multipart: 400. A failure to store: as it is. */
function uploadError(err: unknown): unknown {
  if (err instanceof multer.MulterError) {
    return err.code.startsWith('LIMIT_') && err.code !== 'LIMIT_UNEXPECTED_FILE' ? new HttpError(413, 'payload_too_large', 'errors.tooLarge') : badRequest('errors.badUpload');
  }
  if (err instanceof UploadWriteFailed) return err;
  return badRequest('errors.badUpload');
}

/**
 * Reads a multipart body into req.body and the files of `field` into temporary files, and removes
 * them as the response begins. Put it after the route's access checks: it is what reads the body.
 */
export function acceptUploads(field: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isMultipart(req)) return next();
    const uploads = new RequestUploads(field);
    uploadsOf.set(req, uploads);
    const remove = () => {
      try {
        uploads.remove();
      } catch (err) {
        req.log?.error({ err: { message: (err as Error).message } }, 'could not remove uploaded files');
      }
    };
    onHeaders(res, remove);
    res.once('close', remove);
    multipart(req, res, (err?: unknown) => next(err ? uploadError(err) : undefined));
  };
}

export function uploadedFiles(req: Request, field: string): UploadedFile[] {
  const files = (req.files ?? []) as unknown as UploadedFile[];
  return files.filter((f) => f.fieldname === field && (f.size > 0 || f.originalname));
}
