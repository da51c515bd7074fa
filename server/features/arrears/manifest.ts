import type { FeatureManifest } from '../../context.ts';
import { arrearsApiRoutes } from './api.ts';
import { arrearsDetailApiRoutes } from './api-detail.ts';
import { arrearsPaymentsApiRoutes } from './api-payments.ts';
import { arrearsSummaryApiRoutes } from './api-summary.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsImportJob } from './import-job.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsLedgerRoutes } from './routes.ts';
import { arrearsPaymentRoutes } from './routes-actions.ts';
import { arrearsDashboardRoutes } from './routes-dashboard.ts';
import { arrearsDetailRoutes } from './routes-detail.ts';
import { disclosureRoutes } from './routes-disclosure.ts';
import { arrearsFileRoutes } from './routes-files.ts';
import { lprRoutes } from './routes-lpr.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // Fixed paths (/arrears/new, /arrears/export.xlsx, /arrears/import…, /arrears/dashboard, /arrears/payment-disputes,
  // /arrears/disclosures, /arrears/lpr, /api/v1/arrears/summary) come before the /:id patterns of the detail routes.
  routes: [arrearsLedgerRoutes, arrearsFileRoutes, arrearsDashboardRoutes, arrearsPaymentRoutes, disclosureRoutes, lprRoutes, arrearsDetailRoutes],
  api: [arrearsSummaryApiRoutes, arrearsApiRoutes, arrearsPaymentsApiRoutes, arrearsDetailApiRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  jobs: [arrearsImportJob],
  // One header entry per area; the queues (disputed payments, the annual disclosure) are linked from the dashboard.
  nav: {
    auditor: [
      { href: '/arrears', key: 'arrears:ledger.nav.auditor' },
      { href: '/arrears/dashboard', key: 'arrears:dashboard.nav' },
    ],
    officer: [
      { href: '/arrears', key: 'arrears:ledger.nav.officer' },
      { href: '/arrears/import', key: 'arrears:import.nav' },
      { href: '/arrears/disclosures', key: 'arrears:disclosure.nav' },
    ],
    admin: [{ href: '/arrears/lpr', key: 'arrears:lpr.nav' }],
    enterprise: [
      { href: '/arrears/owed', key: 'arrears:owed.nav' },
      { href: '/arrears', key: 'arrears:ledger.nav.enterprise' },
    ],
  },
};
