import { createDb } from './db/connection.ts';
import { useAuditChain } from './server/audit/chain.ts';
import { loadConfig } from './server/config.ts';

// For the knex command line; the app itself builds the same settings through createDb.
const config = loadConfig();
const db = createDb(config.db);
// The knex command line opens its connection with these very settings, so it finds the chain's key (a migration re-keys the log).
useAuditChain(db, { integrityKey: config.integrityKey, anchorFile: config.auditAnchorFile });
export default db.client.config;
