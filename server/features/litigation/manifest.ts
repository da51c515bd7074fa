import type { FeatureManifest } from '../../context.ts';
import { litigationApiRoutes } from './api.ts';
import { litigationAuditEntities } from './audit-entities.ts';
import { litigationCatalogue } from './locales.ts';
import { litigationRoutes } from './routes.ts';

export const litigationFeature: FeatureManifest = {
  name: 'litigation',
  // One router: its fixed paths (/litigation/new, /litigation/rates) come before the /litigation/:id patterns.
  routes: [litigationRoutes],
  api: [litigationApiRoutes],
  catalogue: litigationCatalogue,
  auditEntities: litigationAuditEntities,
  nav: {
    auditor: [{ href: '/litigation/rates', key: 'litigation:nav.rates' }],
    officer: [{ href: '/litigation', key: 'litigation:nav.register' }],
  },
};
