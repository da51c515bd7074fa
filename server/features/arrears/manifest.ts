import type { FeatureManifest } from '../../context.ts';
import { arrearsDetailApiRoutes } from './api-detail.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsImportJob } from './import-job.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsDetailRoutes } from './routes-detail.ts';
import { arrearsFileRoutes } from './routes-files.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  // Fixed paths (/arrears/import…, /arrears/new…) come before the /arrears/:id pattern of the detail routes.
  routes: [arrearsFileRoutes, arrearsDetailRoutes],
  api: [arrearsDetailApiRoutes],
  jobs: [arrearsImportJob],
  nav: {
    officer: [{ href: '/arrears/import', key: 'arrears:import.nav' }],
  },
};
