import type { Router } from 'express';
import type { AppContext } from '../app.ts';
import { accountRoutes } from './account/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { adminApiRoutes } from './admin/api.ts';
import { auditRoutes } from './audit/routes.ts';
import { homeRoutes } from './home/routes.ts';

/** Every feature's page routes, mounted in this order after sessions and CSRF. */
export const pageRouters: Array<(ctx: AppContext) => Router> = [accountRoutes, homeRoutes, adminRoutes, auditRoutes];

/** Every feature's /api/v1 routes (bearer tokens only). */
export const apiRouters: Array<(ctx: AppContext) => Router> = [adminApiRoutes];
