import type { FeatureManifest } from '../../context.ts';
import { creditRecordApiRoutes } from './api-credit.ts';
import { complaintHandlingApiRoutes } from './api-handling.ts';
import { creditAuditEntities } from './audit-entities-credit.ts';
import { complaintDeadlineAuditEntities } from './audit-entities-handling.ts';
import { autoCloseJob } from './auto-close-job.ts';
import { creditEvidenceOwners } from './evidence-owners-credit.ts';
import { complaintStepEvidenceOwners } from './evidence-owners-steps.ts';
import { complaintsCatalogue } from './locales.ts';
import { complaintHandlingRoutes } from './routes-actions.ts';
import { creditRecordRoutes } from './routes-credit.ts';
import { complaintDeadlineRoutes } from './routes-deadlines.ts';
import { statisticsRoutes } from './routes-statistics.ts';

export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  // Fixed paths (/complaints/credit-record, /complaints/statistics, /complaints/appeals…) go before the case page's /complaints/:id.
  routes: [creditRecordRoutes, statisticsRoutes, complaintHandlingRoutes, complaintDeadlineRoutes],
  api: [creditRecordApiRoutes, complaintHandlingApiRoutes],
  catalogue: complaintsCatalogue,
  evidenceOwners: [...creditEvidenceOwners, ...complaintStepEvidenceOwners],
  jobs: [autoCloseJob],
  auditEntities: [...creditAuditEntities, ...complaintDeadlineAuditEntities],
  nav: {
    auditor: [
      { href: '/complaints/appeals', key: 'complaints:appeals.nav' },
      { href: '/complaints/credit-record', key: 'complaints:credit.nav' },
      { href: '/complaints/statistics', key: 'complaints:statistics.nav' },
    ],
    officer: [{ href: '/complaints/statistics', key: 'complaints:statistics.nav' }],
    admin: [{ href: '/admin/complaint-deadlines', key: 'complaints:handling.deadlines.nav' }],
  },
};
