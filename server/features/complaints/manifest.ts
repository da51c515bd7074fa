import type { FeatureManifest } from '../../context.ts';
import { creditRecordApiRoutes } from './api-credit.ts';
import { creditAuditEntities } from './audit-entities-credit.ts';
import { creditEvidenceOwners } from './evidence-owners-credit.ts';
import { complaintsCatalogue } from './locales.ts';
import { creditRecordRoutes } from './routes-credit.ts';
import { statisticsRoutes } from './routes-statistics.ts';

export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  // Fixed paths (/complaints/credit-record, /complaints/statistics…) go before the case page's /complaints/:id.
  routes: [creditRecordRoutes, statisticsRoutes],
  api: [creditRecordApiRoutes],
  catalogue: complaintsCatalogue,
  evidenceOwners: creditEvidenceOwners,
  auditEntities: creditAuditEntities,
  nav: {
    auditor: [
      { href: '/complaints/credit-record', key: 'complaints:credit.nav' },
      { href: '/complaints/statistics', key: 'complaints:statistics.nav' },
    ],
    officer: [{ href: '/complaints/statistics', key: 'complaints:statistics.nav' }],
  },
};
