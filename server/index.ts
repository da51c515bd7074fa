import type { Server } from 'node:http';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { seedDemoIfEmpty } from '../db/seeds/index.ts';
import { DEMO_USERS } from '../db/seeds/demo.ts';
import { createApp } from './app.ts';
import { createLogger } from './logging.ts';
import { FEATURES } from './features/index.ts';
import { startJobRunner, type JobRunner } from './jobs/runner.ts';
import { startChainAnchoring, useAuditChain } from './audit/chain.ts';
import { systemClock } from './domain/clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

const ANCHOR_EVERY_MS = 60_000;

function describeDb(config: Config): string {
  return config.db.client === 'pg' ? 'PostgreSQL' : `SQLite (${config.db.filename})`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const db = createDb(config.db);
  try {
    await db.raw('select 1');
  } catch (err) {
    console.error(`Cannot connect to the database (${describeDb(config)}): ${(err as Error).message.split('\n')[0]}`);
    await db.destroy().catch(() => undefined);
    process.exit(1);
  }
  const onAnchorError = (err: unknown) => logger.error({ err, anchorFile: config.auditAnchorFile }, 'audit anchor not written');
  useAuditChain(db, { integrityKey: config.integrityKey, anchorFile: config.auditAnchorFile, onAnchorError });
  await migrateLatest(db);
  const seeded = config.env !== 'production' && (await seedDemoIfEmpty(db, config.demoPassword));

  const app = await createApp({ db, config, logger });
  let jobRunner: JobRunner | null = null;
  // Keeps this instance's anchor file abreast of entries that other instances write.
  const anchoring = startChainAnchoring(db, { everyMs: ANCHOR_EVERY_MS, onError: onAnchorError });
  const server: Server = app.listen(config.port, () => {
    jobRunner = startJobRunner({ db, logger, clock: systemClock, kinds: FEATURES.flatMap((f) => f.jobs ?? []) });
    const url = `http://localhost:${config.port}`;
    console.log(`Integrity Ledger (政务诚信台账) is running at ${url} on ${describeDb(config)}`);
    if (config.env !== 'production') {
      console.log(`Demo accounts${seeded ? ' (just seeded)' : ''}: ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(', ')}`);
      console.log(`Demo password: ${config.demoPassword}`);
    }
  });

  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `Port ${config.port} is already in use: stop the other process or set PORT` : `Cannot listen on port ${config.port}: ${err.message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    anchoring.stop();
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A running job finishes its transaction or goes back to the queue before the pool closes.
    Promise.all([serverClosed, jobRunner?.stop()])
      .then(() => db.destroy())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
    // Requests that never finish must not keep the process alive forever.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`Start-up failed: ${(err as Error).message.split('\n')[0]}`);
  process.exit(1);
});
