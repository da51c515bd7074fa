import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../context.ts';
import { recordAuditEvent } from '../audit/chain.ts';
import { guardedRouter } from '../auth/policy.ts';
import { actorOf } from '../http/actor.ts';
import { attachmentDisposition } from '../http/download.ts';
import { notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';
import { mayReadAttachmentsOf, type EvidenceOwnerRegistry } from './owners.ts';
import { blobChunks, findAttachment } from './store.ts';

/** What the audit log calls an evidence file (an attachment, by its id). */
export const EVIDENCE_FILE_ENTITY = 'evidence_file';

/**
 * One download route for every evidence file. The owner's read rule decides; a file the user may not
 * read answers 404 like one that does not exist, so that its existence is not disclosed.
 */
export function evidenceRoutes({ db }: AppContext, owners: EvidenceOwnerRegistry) {
  const r = guardedRouter();

  r.get('/evidence/:fileId', 'signed-in', async (req, res) => {
    const file = await findAttachment(db, idParam(req, 'fileId'));
    if (!file || !(await mayReadAttachmentsOf(db, owners, req.user!, file.owner))) throw notFound();
    res.set({
      'Content-Type': file.mime,
      'Content-Disposition': attachmentDisposition(file.originalName),
      'X-Content-Type-Options': 'nosniff',
      // Official documents: no copy is kept by the browser or any proxy, and access may be withdrawn.
      'Cache-Control': 'no-store',
    });
    // Who received which file is auditable.
    await recordAuditEvent(db, actorOf(req), {
      action: 'evidence.downloaded',
      entityType: EVIDENCE_FILE_ENTITY,
      entityId: file.id,
      after: { name: file.originalName, sha256: file.sha256, ownerType: file.owner.type, ownerId: file.owner.id },
    });
    // Sent chunk by chunk as the client takes them, never the whole file at once.
    res.set('Content-Length', String(file.size));
    await pipeline(Readable.from(blobChunks(db, file.sha256)), res);
  });

  return r.router;
}
