import type { FeatureManifest } from '../../context.ts';
import { complaintsApiRoutes } from './api.ts';
import { complaintAuditEntities } from './audit-entities.ts';
import { complaintEvidenceOwners } from './evidence-owners.ts';
import { complaintsCatalogue } from './locales.ts';
import { caseRoutes } from './routes.ts';
import { caseDetailRoutes } from './routes-detail.ts';

export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  // Routers with fixed paths (/complaints/new, /complaints/overdue, the other parts' /complaints/<word>)
  // come before caseDetailRoutes, whose /complaints/:id answers 404 to anything but a number.
  routes: [caseRoutes, caseDetailRoutes],
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
