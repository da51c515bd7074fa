import type { Router } from 'express';
import type { AppContext } from '../app.ts';
import { accountRoutes } from './account/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { adminApiRoutes } from './admin/api.ts';
import { commitmentsApiRoutes } from './commitments/api.ts';
import { commitmentRoutes } from './commitments/routes.ts';
import { commitmentFileRoutes } from './commitments/routes-files.ts';
import { auditRoutes } from './audit/routes.ts';
import { homeRoutes } from './home/routes.ts';

/**
 * Every feature's page routes, mounted in this order after sessions and CSRF. The commitments'
 * file routes (/commitments/export.csv, /commitments/import…) come before its pages, so that no
 * page pattern can take their paths.
 */
export const pageRouters: Array<(ctx: AppContext) => Router> = [accountRoutes, homeRoutes, adminRoutes, auditRoutes, commitmentFileRoutes, commitmentRoutes];

/** Every feature's /api/v1 routes (bearer tokens only). */
export const apiRouters: Array<(ctx: AppContext) => Router> = [adminApiRoutes, commitmentsApiRoutes];
