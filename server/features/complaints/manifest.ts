import type { FeatureManifest } from '../../context.ts';
import { complaintHandlingApiRoutes } from './api-handling.ts';
import { complaintDeadlineAuditEntities } from './audit-entities-handling.ts';
import { autoCloseJob } from './auto-close-job.ts';
import { complaintStepEvidenceOwners } from './evidence-owners-steps.ts';
import { complaintHandlingCatalogue } from './locales-handling.ts';
import { complaintHandlingRoutes } from './routes-actions.ts';
import { complaintDeadlineRoutes } from './routes-deadlines.ts';

/*
 * A minimal manifest carrying the handling slice only, so that its pages, API, job and files run in
 * its tests. The cases slice writes the real one; at merge its lists take these entries (the handling
 * routes before the /complaints/:id pattern: /complaints/appeals is a fixed path) and locales.ts
 * merges complaintHandlingCatalogue.
 */
export const complaintsFeature: FeatureManifest = {
  name: 'complaints',
  routes: [complaintHandlingRoutes, complaintDeadlineRoutes],
  api: [complaintHandlingApiRoutes],
  catalogue: complaintHandlingCatalogue,
  evidenceOwners: complaintStepEvidenceOwners,
  jobs: [autoCloseJob],
  auditEntities: complaintDeadlineAuditEntities,
  nav: {
    auditor: [{ href: '/complaints/appeals', key: 'complaints:appeals.nav' }],
    admin: [{ href: '/admin/complaint-deadlines', key: 'complaints:handling.deadlines.nav' }],
  },
};
