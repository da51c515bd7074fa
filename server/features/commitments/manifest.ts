import type { FeatureManifest } from '../../context.ts';
import { commitmentsApiRoutes } from './api.ts';
import { commitmentAuditEntities } from './audit-entities.ts';
import { commitmentEvidenceOwners } from './evidence-owners.ts';
import { commitmentsImportJob } from './import-job.ts';
import { commitmentsCatalogue } from './locales.ts';
import { commitmentActionRoutes } from './routes-actions.ts';
import { commitmentRoutes } from './routes.ts';
import { commitmentFileRoutes } from './routes-files.ts';

export const commitmentsFeature: FeatureManifest = {
  name: 'commitments',
  // The file routes (/commitments/export.xlsx, /commitments/import…) come first, so that no page pattern takes their paths.
  routes: [commitmentFileRoutes, commitmentRoutes, commitmentActionRoutes],
  api: [commitmentsApiRoutes],
  catalogue: commitmentsCatalogue,
  evidenceOwners: commitmentEvidenceOwners,
  jobs: [commitmentsImportJob],
  auditEntities: commitmentAuditEntities,
  nav: {
    auditor: [
      { href: '/commitments', key: 'nav.commitments' },
      { href: '/commitments/waivers', key: 'nav.waivers' },
    ],
    officer: [
      { href: '/commitments', key: 'nav.commitments' },
      { href: '/commitments/import', key: 'nav.import' },
    ],
    enterprise: [{ href: '/commitments', key: 'nav.myCommitments' }],
  },
};
