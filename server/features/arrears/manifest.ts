import type { FeatureManifest } from '../../context.ts';
import { arrearsDetailApiRoutes } from './api-detail.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsDetailRoutes } from './routes-detail.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // The detail routes match /arrears/:id: fixed paths (/arrears/new, /arrears/export.xlsx…) go before them.
  routes: [arrearsDetailRoutes],
  api: [arrearsDetailApiRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
};
