import type { FeatureManifest } from '../../context.ts';
import { accountCatalogue } from './locales.ts';
import { accountRoutes } from './routes.ts';

export const accountFeature: FeatureManifest = { name: 'account', routes: [accountRoutes], catalogue: accountCatalogue };
