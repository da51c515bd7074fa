import type { FeatureManifest } from '../../context.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
};
