import type { Router } from 'express';
import type { Knex } from 'knex';
import type { PassportStatic } from 'passport';
import type { Logger } from 'pino';
import type { Config, Role } from './config.ts';
import type { Clock } from './domain/clock.ts';
import type { Catalogue } from './i18n/types.ts';
import type { JobKind } from './jobs/types.ts';

/*
 * Types shared by the app and every feature. This module imports no feature and no app code, so
 * features can depend on it without an import circle back through app.ts.
 */

/** What a feature's routes and use cases are given: the database, settings, logger and the clock. */
export interface AppContext {
  db: Knex;
  config: Config;
  logger: Logger;
  passport: PassportStatic;
  clock: Clock;
}

export interface NavItem {
  href: string;
  /** i18n key of the label. */
  key: string;
}

/**
 * Everything a feature adds to the app, registered in one place (features/index.ts): its page and
 * API routers, its strings, its entries in each role's navigation and its kinds of background job.
 */
export interface FeatureManifest {
  name: string;
  /** Page routers, mounted in this order after sessions and CSRF. */
  routes?: Array<(ctx: AppContext) => Router>;
  /** /api/v1 routers (bearer tokens only). */
  api?: Array<(ctx: AppContext) => Router>;
  /** The feature's strings, under its own namespace (the feature's name). */
  catalogue?: Catalogue;
  /** Navigation entries per role, in header order after those of the features before it. */
  nav?: Partial<Record<Role, NavItem[]>>;
  /** Kinds of background job the feature queues; server/index.ts hands them to the job runner. */
  jobs?: JobKind[];
}
