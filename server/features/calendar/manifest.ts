import type { FeatureManifest } from '../../context.ts';
import { calendarApiRoutes } from './api.ts';
import { calendarCatalogue } from './locales.ts';
import { calendarRoutes } from './routes.ts';

export const calendarFeature: FeatureManifest = {
  name: 'calendar',
  routes: [calendarRoutes],
  api: [calendarApiRoutes],
  catalogue: calendarCatalogue,
  // A year's arrangement is named by its year; the admins' calendar pages are not the auditors'.
  auditEntities: [{ type: 'calendar_year', labelKey: 'calendar:entities.year', describe: async (_db, ids) => new Map(ids.map((id) => [id, { name: id }])) }],
  nav: { admin: [{ href: '/admin/calendar', key: 'nav.calendar' }] },
};
