import { parseArgs } from 'node:util';
import { createDb } from '../db/connection.ts';
import { backupTo } from '../db/dialect.ts';
import { migrateLatest } from '../db/migrate.ts';
import { ConfigError, loadConfig, ROLES } from './config.ts';
import { ValidationError } from './http/errors.ts';
import { createI18n } from './i18n/index.ts';
import { appCatalogues } from './app.ts';
import { SYSTEM_ACTOR, useAuditChain, verifyAndRecord } from './audit/chain.ts';
import { verdictMessage } from './features/audit/present.ts';
import { createUser, issueToken } from './features/admin/service.ts';

const USAGE = `Usage: npm run cli -- <command> [options]
  migrate                                   run database migrations
  user:create --username U --name N --role R [--agency CODE] [--enterprise CREDIT_CODE] [--password P]
                                            (password from --password or the CLI_PASSWORD variable)
  token:create --user U [--label L] [--days 90]   prints only the token on stdout
  audit:verify                              verifies the audit log's keyed hash chain and its anchors
  backup --out FILE                         online backup of the SQLite database`;

const OPERATOR = { ...SYSTEM_ACTOR, username: 'cli' };

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string' },
      enterprise: { type: 'string' }, password: { type: 'string' }, user: { type: 'string' }, label: { type: 'string' },
      days: { type: 'string' }, out: { type: 'string' },
    },
    strict: true,
  });
  if (!command || command === 'help') {
    console.error(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const db = createDb(config.db);
  useAuditChain(db, { integrityKey: config.integrityKey, anchorFile: config.auditAnchorFile });
  try {
    await migrateLatest(db);
    switch (command) {
      case 'migrate':
        console.error('Migrations are up to date.');
        return 0;
      case 'user:create': {
        const password = values.password ?? process.env.CLI_PASSWORD;
        if (!values.username || !values.role || !password) throw new Error('user:create needs --username, --role and a password (--password or CLI_PASSWORD)');
        if (!ROLES.includes(values.role as never)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
        const agency = values.agency ? await db('agencies').where({ code: values.agency }).first('id') : undefined;
        if (values.agency && !agency) throw new Error(`no agency with code ${values.agency}`);
        const enterprise = values.enterprise ? await db('enterprises').where({ credit_code: values.enterprise }).first('id') : undefined;
        if (values.enterprise && !enterprise) throw new Error(`no enterprise with credit code ${values.enterprise}`);
        const id = await createUser(db, OPERATOR, {
          username: values.username, displayName: values.name ?? values.username, role: values.role as (typeof ROLES)[number],
          agencyId: agency?.id, enterpriseId: enterprise?.id, password,
        });
        console.error(`Created user ${values.username} (id ${id}); the password must be changed at first sign-in.`);
        return 0;
      }
      case 'token:create': {
        if (!values.user) throw new Error('token:create needs --user NAME');
        const user = await db('users').where({ username: values.user }).first('id');
        if (!user) throw new Error(`no user named ${values.user}`);
        const days = Number(values.days ?? '90');
        if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error('--days must be a whole number from 1 to 366');
        const issued = await issueToken(db, OPERATOR, { userId: user.id, label: values.label ?? 'cli', days }, config);
        process.stdout.write(issued.token + '\n');
        console.error(`Token ${issued.id} for ${values.user}, valid until ${issued.expiresAt}.`);
        return 0;
      }
      case 'audit:verify': {
        const verdict = await verifyAndRecord(db, OPERATOR);
        const t = (await createI18n(appCatalogues())).getFixedT('en');
        console.log(verdictMessage(verdict, t, (iso) => iso));
        const anchor = verdict.latestAnchor;
        console.log(`Anchors in ${verdict.anchorFile}: ${verdict.anchorsChecked} compared; ${anchor ? `the latest names entry #${anchor.seq} (${anchor.hash}), written at ${anchor.at}` : 'none'}.`);
        if (verdict.lastEntry) console.log(`Last entry of the log: #${verdict.lastEntry.id} (${verdict.lastEntry.hash}).`);
        return verdict.ok ? 0 : 1;
      }
      case 'backup': {
        if (!values.out) throw new Error('backup needs --out FILE');
        const result = await backupTo(db, values.out);
        if (!result.ok) {
          console.error('This database is PostgreSQL: back it up with pg_dump (for example pg_dump -Fc "$DATABASE_URL" > integrity-ledger.dump).');
          return 1;
        }
        console.error(`Backup written to ${values.out}.`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n${USAGE}`);
        return 2;
    }
  } finally {
    await db.destroy();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => {
    if (err instanceof ValidationError) {
      const t = (await createI18n(appCatalogues())).getFixedT('en');
      console.error(`Refused: ${err.fieldErrors.map((e) => `${e.path}: ${t(e.key, e.params ?? {})}`).join('; ')}`);
    } else if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
    else console.error(`Error: ${(err as Error).message}`);
    process.exit(1);
  },
);
