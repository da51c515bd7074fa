import type { FeatureManifest } from '../context.ts';
import { accountFeature } from './account/manifest.ts';
import { adminFeature } from './admin/manifest.ts';
import { arrearsFeature } from './arrears/manifest.ts';
import { auditFeature } from './audit/manifest.ts';
import { calendarFeature } from './calendar/manifest.ts';
import { campaignsFeature } from './campaigns/manifest.ts';
import { commitmentsFeature } from './commitments/manifest.ts';
import { complaintsFeature } from './complaints/manifest.ts';
import { homeFeature } from './home/manifest.ts';

/**
 * Every feature, in the order its routes are mounted and its navigation entries appear. A new
 * feature writes a manifest.ts beside its code and is added here; nothing else needs to know it.
 */
export const FEATURES: readonly FeatureManifest[] = [accountFeature, homeFeature, adminFeature, calendarFeature, auditFeature, commitmentsFeature, arrearsFeature, complaintsFeature, campaignsFeature];
