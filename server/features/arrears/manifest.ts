import type { FeatureManifest } from '../../context.ts';
import { arrearsPaymentsApiRoutes } from './api-payments.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';
import { arrearsPaymentRoutes } from './routes-actions.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // The payment pages' fixed path /arrears/payment-disputes must come before any /arrears/:id page pattern.
  routes: [arrearsPaymentRoutes],
  api: [arrearsPaymentsApiRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  nav: {
    auditor: [{ href: '/arrears/payment-disputes', key: 'arrears:payments.queue.nav' }],
  },
};
