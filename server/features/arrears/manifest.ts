import type { FeatureManifest } from '../../context.ts';
import { arrearsAuditEntities } from './audit-entities.ts';
import { arrearsEvidenceOwners } from './evidence-owners.ts';
import { arrearsCatalogue } from './locales.ts';
import { disclosureRoutes } from './routes-disclosure.ts';
import { lprRoutes } from './routes-lpr.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  // Fixed paths (/arrears/disclosures, /arrears/lpr) go before the /arrears/:id patterns of the other slices.
  routes: [disclosureRoutes, lprRoutes],
  catalogue: arrearsCatalogue,
  evidenceOwners: arrearsEvidenceOwners,
  auditEntities: arrearsAuditEntities,
  nav: {
    auditor: [{ href: '/arrears/disclosures', key: 'arrears:disclosure.nav' }],
    officer: [{ href: '/arrears/disclosures', key: 'arrears:disclosure.nav' }],
    admin: [{ href: '/arrears/lpr', key: 'arrears:lpr.nav' }],
  },
};
