import type { FeatureManifest } from '../../context.ts';
import { complaintsApiRoutes } from './api.ts';
import { creditRecordApiRoutes } from './api-credit.ts';
import { complaintHandlingApiRoutes } from './api-handling.ts';
import { complaintAuditEntities } from './audit-entities.ts';
import { creditAuditEntities } from './audit-entities-credit.ts';
import { complaintDeadlineAuditEntities } from './audit-entities-handling.ts';
import { autoCloseJob } from './auto-close-job.ts';
import { complaintEvidenceOwners } from './evidence-owners.ts';
import { creditEvidenceOwners } from './evidence-owners-credit.ts';
import { complaintsCatalogue } from './locales.ts';
import { caseRoutes } from './routes.ts';
import { complaintHandlingRoutes } from './routes-actions.ts';
import { creditRecordRoutes } from './routes-credit.ts';
import { complaintDeadlineRoutes } from './routes-deadlines.ts';
import { caseDetailRoutes } from './routes-detail.ts';
import { statisticsRoutes } from './routes-statistics.ts';

export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  // Routers with fixed paths (/complaints/new, /complaints/overdue, /complaints/appeals, /complaints/credit-record,
  // /complaints/statistics) come before caseDetailRoutes, whose /complaints/:id answers 404 to anything but a number.
  routes: [caseRoutes, creditRecordRoutes, statisticsRoutes, complaintHandlingRoutes, complaintDeadlineRoutes, caseDetailRoutes],
  api: [complaintsApiRoutes, complaintHandlingApiRoutes, creditRecordApiRoutes],
  catalogue: complaintsCatalogue,
  evidenceOwners: [...complaintEvidenceOwners, ...creditEvidenceOwners],
  jobs: [autoCloseJob],
  auditEntities: [...complaintAuditEntities, ...creditAuditEntities, ...complaintDeadlineAuditEntities],
  nav: {
    enterprise: [
      { href: '/complaints', key: 'complaints:cases.nav.enterprise' },
      { href: '/complaints/new', key: 'complaints:cases.nav.file' },
    ],
    officer: [{ href: '/complaints', key: 'complaints:cases.nav.officer' }],
    // The overdue queue, the appeals and the statistics are linked from the case list: one header entry per area.
    auditor: [
      { href: '/complaints', key: 'complaints:cases.nav.auditor' },
      { href: '/complaints/credit-record', key: 'complaints:credit.nav' },
    ],
    admin: [{ href: '/admin/complaint-deadlines', key: 'complaints:handling.deadlines.nav' }],
  },
};
