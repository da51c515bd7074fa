import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Role = 'admin' | 'auditor' | 'officer' | 'enterprise';
export const ROLES: readonly Role[] = ['admin', 'auditor', 'officer', 'enterprise'];

export type DbSettings =
  | { client: 'sqlite'; filename: string }
  | { client: 'pg'; connectionString: string };

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  db: DbSettings;
  sessionSecret: string;
  /**
   * The key kept outside the database that keys what the database alone must not be able to forge or read:
   * the audit chain's HMAC, the encrypted TOTP secrets and the keyed hashes of recovery codes.
   */
  integrityKey: string;
  /**
   * The append-only file where the audit chain's latest entry number and hash are written after each
   * write: outside the database, so that entries cut from the end of the log are noticed.
   */
  auditAnchorFile: string;
  trustProxy: boolean | number | string;
  demoPassword: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  mfaRequiredRoles: Role[];
  /** Failed sign-ins from one client address within 24 hours that block the address for 24 hours. */
  loginFailuresPerAddress: number;
}

/** A configuration value that stops start-up; its message is one line naming the variable. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseDatabaseUrl(raw: string, rootDir = ROOT_DIR): DbSettings {
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      const url = new URL(raw);
      if (!url.hostname) throw new Error('no host');
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid PostgreSQL URL (expected postgres://user@host:port/db): ${raw}`);
    }
    return { client: 'pg', connectionString: raw };
  }
  if (raw.startsWith('sqlite:')) {
    const rest = raw.slice('sqlite:'.length);
    // sqlite:///abs/path → /abs/path ; sqlite:relative/path → relative to the project root
    const file = rest.startsWith('//') ? rest.slice(2) : rest;
    if (!file) throw new ConfigError('DATABASE_URL names no SQLite file (expected sqlite:data/file.sqlite or sqlite:///abs/path.sqlite)');
    if (file === ':memory:') return { client: 'sqlite', filename: ':memory:' };
    return { client: 'sqlite', filename: path.isAbsolute(file) ? file : path.resolve(rootDir, file) };
  }
  throw new ConfigError(`DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got "${raw}")`);
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const ok = raw.split(',').every((part) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d+)?)$/.test(part.trim()));
  if (!ok) throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or a comma list of addresses/subnets (got "${raw}")`);
  return raw;
}

function parseRoles(raw: string, name: string): Role[] {
  const roles = raw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles) {
    if (!ROLES.includes(role as Role)) throw new ConfigError(`${name} has an unknown role "${role}" (known: ${ROLES.join(', ')})`);
  }
  return roles as Role[];
}

/** A development secret generated once into data/ (production takes it from the environment). */
function devSecret(rootDir: string, name: string): string {
  const file = path.join(rootDir, 'data', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * INTEGRITY_KEY as the app reads it. A migration that must encrypt or key existing rows reads it here
 * too, so that it uses the very key the app will.
 */
export function readIntegrityKey(env: NodeJS.ProcessEnv = process.env, rootDir = ROOT_DIR): string {
  const key = env.INTEGRITY_KEY ?? '';
  if ((env.NODE_ENV ?? 'development') === 'production' && key.length < 32) {
    throw new ConfigError('INTEGRITY_KEY is required in production and must be at least 32 characters (keep it outside the database, like SESSION_SECRET)');
  }
  return key || devSecret(rootDir, 'integrity-key');
}

/** Parses the environment once at boot; every bad value throws a ConfigError naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, rootDir = ROOT_DIR): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const production = nodeEnv === 'production';

  const portRaw = env.PORT ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) throw new ConfigError(`PORT must be a number from 1 to 65535 (got "${portRaw}")`);

  const db = parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/integrity-ledger.sqlite', rootDir);

  let sessionSecret = env.SESSION_SECRET ?? '';
  if (production && sessionSecret.length < 32) throw new ConfigError('SESSION_SECRET is required in production and must be at least 32 characters');
  if (!sessionSecret) sessionSecret = devSecret(rootDir, 'session-secret');

  const integrityKey = readIntegrityKey(env, rootDir);
  if (integrityKey === sessionSecret) throw new ConfigError('INTEGRITY_KEY must differ from SESSION_SECRET');

  const anchorRaw = env.AUDIT_ANCHOR_FILE || 'data/audit-anchors.jsonl';
  const auditAnchorFile = path.isAbsolute(anchorRaw) ? anchorRaw : path.resolve(rootDir, anchorRaw);

  const logLevel = (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);

  const demoPassword = env.DEMO_PASSWORD ?? 'Demo#2026pass';
  if (demoPassword.length < 10) throw new ConfigError('DEMO_PASSWORD must be at least 10 characters');

  const mfaRequiredRoles = parseRoles(env.MFA_REQUIRED_ROLES ?? (production ? 'admin,auditor' : ''), 'MFA_REQUIRED_ROLES');

  if (env.LOGIN_RATE_LIMIT !== undefined) throw new ConfigError('LOGIN_RATE_LIMIT is no longer read: sign-ins are throttled by failures only (set LOGIN_FAILURES_PER_ADDRESS instead)');
  const failuresRaw = env.LOGIN_FAILURES_PER_ADDRESS ?? '100';
  const loginFailuresPerAddress = Number(failuresRaw);
  if (!/^\d+$/.test(failuresRaw) || loginFailuresPerAddress < 1) throw new ConfigError(`LOGIN_FAILURES_PER_ADDRESS must be a positive whole number (got "${failuresRaw}")`);

  return {
    env: nodeEnv,
    port,
    db,
    sessionSecret,
    integrityKey,
    auditAnchorFile,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    demoPassword,
    logLevel,
    mfaRequiredRoles,
    loginFailuresPerAddress,
  };
}
