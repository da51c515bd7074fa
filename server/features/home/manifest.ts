import type { FeatureManifest } from '../../context.ts';
import { homeCatalogue } from './locales.ts';
import { homeRoutes } from './routes.ts';

export const homeFeature: FeatureManifest = {
  name: 'home',
  routes: [homeRoutes],
  catalogue: homeCatalogue,
  nav: { admin: [{ href: '/', key: 'nav.home' }], auditor: [{ href: '/', key: 'nav.home' }], officer: [{ href: '/', key: 'nav.home' }], enterprise: [{ href: '/', key: 'nav.home' }] },
};
