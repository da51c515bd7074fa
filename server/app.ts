import path from 'node:path';
import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { handle as i18nHandle } from 'i18next-http-middleware';
import { ROOT_DIR, type Config } from './config.ts';
import { createI18n } from './i18n/index.ts';
import { absoluteTimeout, createPassport, sessionMiddleware } from './auth/session.ts';
import { bearerAuth } from './auth/api-token.ts';
import { accountGates } from './features/account/gates.ts';
import { csrfProtection } from './http/csrf.ts';
import { errorHandler } from './http/error-handler.ts';
import { methodNotAllowed } from './http/methods.ts';
import { notFound } from './http/errors.ts';
import { viewLocals } from './http/locals.ts';
import { buildNav } from './http/nav.ts';
import type { AppContext, FeatureManifest } from './context.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { Catalogue } from './i18n/types.ts';
import { FEATURES } from './features/index.ts';
import { createLogger, requestLogger } from './logging.ts';
import { jobsCatalogue } from './jobs/locales.ts';
import { spreadsheetsCatalogue } from './spreadsheets/locales.ts';
import { EVIDENCE_UPLOAD, evidenceAuditEntity, evidenceCatalogue, evidenceOwnersOf, evidenceRoutes } from './evidence/index.ts';
import { auditEntityRegistry } from './audit/entities.ts';

export interface AppDeps {
  db: Knex;
  config: Config;
  logger?: Logger;
  clock?: Clock;
}

/** Namespaces of the shared modules, for their partials and the errors they raise. */
const INFRASTRUCTURE_CATALOGUES: Record<string, Catalogue> = { evidence: evidenceCatalogue, jobs: jobsCatalogue, spreadsheets: spreadsheetsCatalogue };

/** Every namespace of strings: the shared modules' and each feature's (under the feature's name). */
export function appCatalogues(features: readonly FeatureManifest[] = FEATURES): Record<string, Catalogue> {
  const catalogues: Record<string, Catalogue> = { ...INFRASTRUCTURE_CATALOGUES };
  for (const feature of features) {
    if (!feature.catalogue) continue;
    if (feature.name in catalogues) throw new Error(`feature "${feature.name}" would replace the "${feature.name}" namespace of strings`);
    catalogues[feature.name] = feature.catalogue;
  }
  return catalogues;
}

/** Builds the Express app; it starts nothing, so tests build one per database. */
export async function createApp({ db, config, logger = createLogger(config), clock = systemClock }: AppDeps): Promise<Express> {
  const ctx: AppContext = { db, config, logger, passport: createPassport(db), clock };
  const app = express();
  app.disable('x-powered-by');
  // Express's own fallback (an error after the answer was sent) prints to the console unless in 'test'.
  app.set('env', config.env);
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  // Compile each template (and each partial it includes) once, in every mode: Express caches views only in
  // production by default, and a list that includes a partial per row then compiled it again per row.
  app.set('view cache', true);
  // Shared layouts and partials live in views/; each feature keeps its own views in its folder.
  app.set('views', [path.join(ROOT_DIR, 'views'), path.join(ROOT_DIR, 'server', 'features')]);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
      strictTransportSecurity: config.env === 'production',
    }),
  );
  app.use(requestLogger(logger));
  const assetCache = { maxAge: config.env === 'production' ? '1d' : 0 };
  app.use('/static', express.static(path.join(ROOT_DIR, 'public'), assetCache));
  // Browsers ask for /favicon.ico whatever the page links: answer it before sessions, like any asset.
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(ROOT_DIR, 'public', 'favicon.ico'), assetCache));
  // Everything else is personal or official data, or a page with a form token: no browser or proxy keeps a copy.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.locals.navByRole = buildNav(FEATURES);
  app.locals.eventNamespaces = Object.keys(appCatalogues());
  app.locals.evidenceUpload = EVIDENCE_UPLOAD;
  app.locals.auditEntities = auditEntityRegistry([evidenceAuditEntity, ...FEATURES.flatMap((f) => f.auditEntities ?? [])]);
  const i18n = await createI18n(appCatalogues(), { secureCookie: config.env === 'production' });
  app.use(i18nHandle(i18n));

  app.get('/healthz', async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok' });
    } catch (err) {
      logger.error({ err: { message: (err as Error).message } }, 'health check failed');
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // The API authenticates with bearer tokens only: no cookie session, so no CSRF exposure.
  const api = express.Router();
  api.use(methodNotAllowed(api));
  api.use(express.json({ limit: '1mb' }));
  api.use(bearerAuth(db, config));
  for (const feature of FEATURES) for (const make of feature.api ?? []) api.use(make(ctx));
  api.use((_req, _res, next) => next(notFound()));
  app.use('/api/v1', api);

  app.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }));
  app.use(cookieParser());
  app.use(sessionMiddleware(db, config));
  app.use(absoluteTimeout);
  app.use(ctx.passport.initialize());
  app.use(ctx.passport.session());
  app.use(viewLocals(config));
  app.use(csrfProtection(config));
  app.use(accountGates);

  app.use(evidenceRoutes(ctx, evidenceOwnersOf(FEATURES)));
  for (const feature of FEATURES) for (const make of feature.routes ?? []) app.use(make(ctx));

  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(logger, config));
  return app;
}
