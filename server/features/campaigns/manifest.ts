import type { FeatureManifest } from '../../context.ts';
import { campaignsApiRoutes } from './api.ts';
import { campaignAuditEntities } from './audit-entities.ts';
import { freezeBaselineJob } from './freeze-job.ts';
import { campaignsCatalogue } from './locales.ts';
import { campaignRoutes } from './routes.ts';

export const campaignsFeature: FeatureManifest = {
  name: 'campaigns',
  routes: [campaignRoutes],
  api: [campaignsApiRoutes],
  catalogue: campaignsCatalogue,
  jobs: [freezeBaselineJob],
  auditEntities: campaignAuditEntities,
  nav: {
    auditor: [{ href: '/campaigns', key: 'campaigns:nav.campaigns' }],
    officer: [{ href: '/campaigns', key: 'campaigns:nav.campaigns' }],
  },
};
