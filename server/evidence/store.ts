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
  // One file at a time, read into one buffer, so that a request holds at most one file in memory however many it attaches.
  const toStore = files.filter((f, i) => files.findIndex((g) => g.sha256 === f.sha256) === i);
  const buffer = Buffer.allocUnsafe(Math.max(0, ...toStore.map((f) => f.size)));
  for (const f of toStore) {
    const data = await readInto(buffer, f);
    // Another request may store the same bytes at the same moment: the second insert waits for the first, then does nothing.
    await trx('evidence_blobs').insert({ sha256: f.sha256, mime: f.mime, size: f.size, data, created_at: at }).onConflict('sha256').ignore();
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

/** A checked file's bytes, read into the start of `buffer`. */
async function readInto(buffer: Buffer, file: CheckedFile): Promise<Buffer> {
  const handle = await open(file.path, 'r');
  try {
    const { bytesRead } = await handle.read(buffer, 0, file.size, 0);
    if (bytesRead !== file.size) throw new Error(`${file.originalName}: read ${bytesRead} of ${file.size} bytes`);
    return buffer.subarray(0, file.size);
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

export async function blobBytes(db: Knex, sha256: string): Promise<Buffer> {
  const row = await db('evidence_blobs').where({ sha256 }).first('data');
  return Buffer.from(row.data);
}
