import type { FeatureManifest } from '../../context.ts';
import { arrearsSummaryApiRoutes } from './api-summary.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsDashboardRoutes } from './routes-dashboard.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // Fixed paths (/arrears/dashboard, /arrears/owed, /api/v1/arrears/summary) go before any /arrears/:id pattern.
  routes: [arrearsDashboardRoutes],
  api: [arrearsSummaryApiRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  nav: {
    auditor: [{ href: '/arrears/dashboard', key: 'arrears:dashboard.nav' }],
    enterprise: [{ href: '/arrears/owed', key: 'arrears:owed.nav' }],
  },
};
