import type { FeatureManifest } from '../../context.ts';
import { adminApiRoutes } from './api.ts';
import { adminCatalogue } from './locales.ts';
import { adminRoutes } from './routes.ts';

export const adminFeature: FeatureManifest = {
  name: 'admin',
  routes: [adminRoutes],
  api: [adminApiRoutes],
  catalogue: adminCatalogue,
  nav: {
    admin: [
      { href: '/admin/agencies', key: 'nav.agencies' },
      { href: '/admin/enterprises', key: 'nav.enterprises' },
      { href: '/admin/users', key: 'nav.users' },
      { href: '/admin/tokens', key: 'nav.tokens' },
    ],
  },
};
