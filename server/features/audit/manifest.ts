import type { FeatureManifest } from '../../context.ts';
import { auditCatalogue } from './locales.ts';
import { auditRoutes } from './routes.ts';

export const auditFeature: FeatureManifest = {
  name: 'audit',
  routes: [auditRoutes],
  catalogue: auditCatalogue,
  nav: { auditor: [{ href: '/audit', key: 'nav.audit' }] },
  auditEntities: [
    { type: 'audit_log', labelKey: 'audit:entities.auditLog' },
    { type: 'system', labelKey: 'audit:entities.system' },
  ],
};
