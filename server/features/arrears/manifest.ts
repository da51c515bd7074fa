import type { FeatureManifest } from '../../context.ts';
import { arrearsCatalogue } from './locales.ts';

export const arrearsFeature: FeatureManifest = {
  name: 'arrears',
  catalogue: arrearsCatalogue,
};
