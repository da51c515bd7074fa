import type { FeatureManifest } from '../../context.ts';
import { complaintsApiRoutes } from './api.ts';
import { complaintAuditEntities } from './audit-entities.ts';
import { complaintEvidenceOwners } from './evidence-owners.ts';
import { complaintsCatalogue } from './locales.ts';
import { caseRoutes } from './routes.ts';

export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  // The fixed paths (/complaints/new, /complaints/overdue, and the other parts' fixed paths) must come
  // before /complaints/:id: caseRoutes declares its own in that order; a router with /complaints/<fixed> goes first.
  routes: [caseRoutes],
  api: [complaintsApiRoutes],
  catalogue: complaintsCatalogue,
  evidenceOwners: complaintEvidenceOwners,
  auditEntities: complaintAuditEntities,
  nav: {
    enterprise: [
      { href: '/complaints', key: 'complaints:cases.nav.enterprise' },
      { href: '/complaints/new', key: 'complaints:cases.nav.file' },
    ],
    officer: [{ href: '/complaints', key: 'complaints:cases.nav.officer' }],
    auditor: [
      { href: '/complaints', key: 'complaints:cases.nav.auditor' },
      { href: '/complaints/overdue', key: 'complaints:cases.nav.overdue' },
    ],
  },
};
