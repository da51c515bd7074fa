import { open } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { AuditActor, AuditEntryInput } from '../audit/chain.ts';
import type { CheckedFile } from './check.ts';
import { isOwnerTypeName, type EvidenceOwner } from './owners.ts';

/** One attached file as pages and the API list it. */
export interface Attachment {
  id: number;
  originalName: string;
  size: number;
  mime: string;
}

/** The attachments of several owners, read at once; each owner's in upload order. */
export interface AttachmentsByOwner {
  of(owner: EvidenceOwner): Attachment[];
}

/** An attachment with what a download needs to decide and describe it, without the bytes. */
export interface StoredAttachment extends Attachment {
  owner: EvidenceOwner;
  sha256: string;
}

/** Bytes per stored chunk (evidence_blob_chunks): what a store or a download holds in memory at a time. */
export const EVIDENCE_CHUNK_BYTES = 1024 * 1024;

const ownerKey = (owner: EvidenceOwner) => `${owner.type}#${owner.id}`;

export function evidenceDownloadPath(attachmentId: number): string {
  return `/evidence/${attachmentId}`;
}

/**
 * Stores each file's bytes once under their SHA-256 and links them to their owner, inside the use
 * case's transaction, so the files stand or fall with the record they prove. Returns the audit entry
 * (`<entityType>.evidence_attached`, on the record the user acted on) for the use case to append with
 * its own entries: one append per use case.
 */
export async function attachFiles(
  trx: Knex.Transaction,
  actor: AuditActor,
  owner: EvidenceOwner,
  files: CheckedFile[],
  audit: { entityType: string; entityId: number | string },
  at: string = new Date().toISOString(),
): Promise<{ attachments: Attachment[]; auditEntry: AuditEntryInput | null }> {
  if (!isOwnerTypeName(owner.type) || !Number.isSafeInteger(owner.id) || owner.id <= 0) {
    throw new Error(`cannot attach evidence to ${JSON.stringify(owner)}: the type must be "<feature>.<record>" and the id a positive integer`);
  }
  if (files.length === 0) return { attachments: [], auditEntry: null };
  // One chunk in memory at a time, however large and however many the files.
  const buffer = Buffer.allocUnsafe(EVIDENCE_CHUNK_BYTES);
  for (const f of files.filter((f, i) => files.findIndex((g) => g.sha256 === f.sha256) === i)) {
    // Another request may store the same bytes at the same moment: the second insert waits for the
    // first, then does nothing and returns no row, and so writes no chunks; bytes stored before are not read again.
    const stored = await trx('evidence_blobs').insert({ sha256: f.sha256, mime: f.mime, size: f.size, created_at: at }).onConflict('sha256').ignore().returning('sha256');
    if (stored.length > 0) await storeChunks(trx, f, buffer);
  }
  const ids: Array<{ id: number }> = await trx('evidence_attachments')
    .insert(files.map((f) => ({ owner_type: owner.type, owner_id: owner.id, sha256: f.sha256, original_name: f.originalName, uploaded_by: actor.id, created_at: at })))
    .returning('id');
  const attachments = files.map((f, i) => ({ id: Number(ids[i]!.id), originalName: f.originalName, size: f.size, mime: f.mime }));
  return {
    attachments,
    auditEntry: {
      action: `${audit.entityType}.evidence_attached`,
      entityType: audit.entityType,
      entityId: audit.entityId,
      after: { ownerType: owner.type, ownerId: owner.id, files: attachments.map((a, i) => ({ fileId: a.id, name: a.originalName, sha256: files[i]!.sha256, size: a.size })) },
    },
  };
}

/** Writes a checked file's bytes from its upload on disk as chunks of `buffer`'s size, in order. */
async function storeChunks(trx: Knex.Transaction, file: CheckedFile, buffer: Buffer): Promise<void> {
  const handle = await open(file.path, 'r');
  try {
    let seq = 0;
    for (let at = 0; at < file.size; seq++) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, file.size - at), at);
      if (bytesRead === 0) throw new Error(`${file.originalName}: read ${at} of ${file.size} bytes`);
      await trx('evidence_blob_chunks').insert({ sha256: file.sha256, seq, data: buffer.subarray(0, bytesRead) });
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The files of every owner on a page in one query, so a list of records costs no query per record. */
export async function attachmentsOf(db: Knex, owners: EvidenceOwner[]): Promise<AttachmentsByOwner> {
  const idsByType = new Map<string, Set<number>>();
  for (const owner of owners) {
    const ids = idsByType.get(owner.type) ?? new Set<number>();
    ids.add(owner.id);
    idsByType.set(owner.type, ids);
  }
  const byOwner = new Map<string, Attachment[]>();
  if (idsByType.size > 0) {
    const rows: Array<{ id: number; owner_type: string; owner_id: number; original_name: string; size: number | string; mime: string }> = await db('evidence_attachments as a')
      .join('evidence_blobs as b', 'b.sha256', 'a.sha256')
      .where((q) => {
        for (const [type, ids] of idsByType) q.orWhere((one) => one.where('a.owner_type', type).whereIn('a.owner_id', [...ids]));
      })
      .orderBy('a.id')
      .select('a.id', 'a.owner_type', 'a.owner_id', 'a.original_name', 'b.size', 'b.mime');
    for (const row of rows) {
      const key = ownerKey({ type: row.owner_type, id: Number(row.owner_id) });
      const list = byOwner.get(key) ?? [];
      list.push({ id: Number(row.id), originalName: row.original_name, size: Number(row.size), mime: row.mime });
      byOwner.set(key, list);
    }
  }
  return { of: (owner) => byOwner.get(ownerKey(owner)) ?? [] };
}

export async function findAttachment(db: Knex, attachmentId: number): Promise<StoredAttachment | null> {
  const row = await db('evidence_attachments as a')
    .join('evidence_blobs as b', 'b.sha256', 'a.sha256')
    .where('a.id', attachmentId)
    .first('a.id', 'a.owner_type', 'a.owner_id', 'a.original_name', 'a.sha256', 'b.size', 'b.mime');
  if (!row) return null;
  return {
    id: Number(row.id),
    owner: { type: row.owner_type, id: Number(row.owner_id) },
    originalName: row.original_name,
    sha256: row.sha256,
    size: Number(row.size),
    mime: row.mime,
  };
}

/** A stored file's bytes in order, one chunk (at most EVIDENCE_CHUNK_BYTES) read at a time: a download never holds the whole file. */
export async function* blobChunks(db: Knex, sha256: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk: { data: Uint8Array } | undefined = await db('evidence_blob_chunks').where({ sha256, seq }).first('data');
    if (!chunk) return;
    yield Buffer.isBuffer(chunk.data) ? chunk.data : Buffer.from(chunk.data);
  }
}

/** A stored file's bytes whole, for small files and tests; a download streams blobChunks instead. */
export async function blobBytes(db: Knex, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blobChunks(db, sha256)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
