/*
 * Evidence: files stored once by SHA-256 and attached to any record (owner type + id). Infrastructure:
 * features use it and register their owner types in their manifest; it imports no feature.
 */
export { evidenceAuditEntity } from './audit-entity.ts';
export { EVIDENCE_UPLOAD, checkUploads, type CheckedFile } from './check.ts';
export { evidenceCatalogue } from './locales.ts';
export { evidenceOwnersOf, mayReadAttachmentsOf, type EvidenceOwner, type EvidenceOwnerRegistry } from './owners.ts';
export { evidenceRoutes } from './routes.ts';
export { attachFiles, attachmentsOf, evidenceDownloadPath, type Attachment, type AttachmentsByOwner } from './store.ts';
