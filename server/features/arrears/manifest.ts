import type { FeatureManifest } from '../../context.ts';
import { arrearsApiRoutes } from './api.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsLedgerRoutes } from './routes.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // The ledger's fixed paths (/arrears/new, /arrears/export.xlsx, /arrears/export.csv) go before any /arrears/:id pattern.
  routes: [arrearsLedgerRoutes],
  api: [arrearsApiRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  nav: {
    officer: [{ href: '/arrears', key: 'arrears:ledger.nav.officer' }],
    auditor: [{ href: '/arrears', key: 'arrears:ledger.nav.auditor' }],
    enterprise: [{ href: '/arrears', key: 'arrears:ledger.nav.enterprise' }],
  },
};
