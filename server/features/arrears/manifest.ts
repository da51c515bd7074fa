import type { FeatureManifest } from '../../context.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsImportJob } from './import-job.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsFileRoutes } from './routes-files.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  // The file routes (/arrears/import…) come before any /arrears/:id pattern.
  routes: [arrearsFileRoutes],
  jobs: [arrearsImportJob],
  nav: {
    officer: [{ href: '/arrears/import', key: 'arrears:import.nav' }],
  },
};
