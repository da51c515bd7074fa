import type { FeatureManifest } from '../../context.ts';
import { adminApiRoutes } from './api.ts';
import { adminAuditEntities } from './audit-entities.ts';
import { adminCatalogue } from './locales.ts';
import { adminRoutes } from './routes.ts';

export const adminFeature: FeatureManifest = {
  name: 'admin',
  routes: [adminRoutes],
  api: [adminApiRoutes],
  catalogue: adminCatalogue,
  auditEntities: adminAuditEntities,
  nav: {
    admin: [
      { href: '/admin/agencies', key: 'nav.agencies' },
      { href: '/admin/enterprises', key: 'nav.enterprises' },
      { href: '/admin/users', key: 'nav.users' },
      { href: '/admin/tokens', key: 'nav.tokens' },
    ],
  },
};
