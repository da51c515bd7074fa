import { createDb } from './db/connection.ts';
import { loadConfig } from './server/config.ts';

// For the knex command line; the app itself builds the same settings through createDb.
const db = createDb(loadConfig().db);
export default db.client.config;
