import type { FeatureManifest } from '../../context.ts';
import { calendarApiRoutes } from './api.ts';
import { calendarCatalogue } from './locales.ts';
import { calendarRoutes } from './routes.ts';

export const calendarFeature: FeatureManifest = {
  name: 'calendar',
  routes: [calendarRoutes],
  api: [calendarApiRoutes],
  catalogue: calendarCatalogue,
  nav: { admin: [{ href: '/admin/calendar', key: 'nav.calendar' }] },
};
