import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, parseDatabaseUrl, ROOT_DIR } from './config.ts';

const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), INTEGRITY_KEY: 'k'.repeat(40) };

describe('configuration', () => {
  it('defaults to the SQLite file under data/', () => {
    expect(loadConfig(base).db).to.deep.equal({ client: 'sqlite', filename: path.join(ROOT_DIR, 'data', 'integrity-ledger.sqlite') });
  });
  it('keeps the audit anchors under data/ unless AUDIT_ANCHOR_FILE names another file', () => {
    expect(loadConfig(base).auditAnchorFile).to.equal(path.join(ROOT_DIR, 'data', 'audit-anchors.jsonl'));
    expect(loadConfig({ ...base, AUDIT_ANCHOR_FILE: 'anchors/a.jsonl' }, '/srv/app').auditAnchorFile).to.equal('/srv/app/anchors/a.jsonl');
    expect(loadConfig({ ...base, AUDIT_ANCHOR_FILE: '/var/log/il/anchors.jsonl' }).auditAnchorFile).to.equal('/var/log/il/anchors.jsonl');
  });
  it('reads relative and absolute SQLite URLs and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('sqlite:data/x.sqlite', '/srv/app')).to.deep.equal({ client: 'sqlite', filename: '/srv/app/data/x.sqlite' });
    expect(parseDatabaseUrl('sqlite:///var/lib/il.sqlite')).to.deep.equal({ client: 'sqlite', filename: '/var/lib/il.sqlite' });
    expect(parseDatabaseUrl('postgres://il@db:5432/il')).to.deep.equal({ client: 'pg', connectionString: 'postgres://il@db:5432/il' });
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' })).to.throw(ConfigError, /DATABASE_URL/);
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ ...base, LOG_LEVEL: 'loud' })).to.throw(ConfigError, /LOG_LEVEL/);
    expect(() => loadConfig({ ...base, MFA_REQUIRED_ROLES: 'admin,boss' })).to.throw(ConfigError, /MFA_REQUIRED_ROLES/);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'sometimes' })).to.throw(ConfigError, /TRUST_PROXY/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).to.throw(ConfigError, /INTEGRITY_KEY/);
    expect(() => loadConfig({ ...base, INTEGRITY_KEY: 'x'.repeat(40) })).to.throw(ConfigError, /INTEGRITY_KEY must differ/);
    expect(() => loadConfig({ ...base, LOGIN_FAILURES_PER_ADDRESS: '0' })).to.throw(ConfigError, /LOGIN_FAILURES_PER_ADDRESS/);
  });
  it('throttles sign-in failures per address (100 a day unless set), and refuses the old limit on all attempts', () => {
    expect(loadConfig(base).loginFailuresPerAddress).to.equal(100);
    expect(loadConfig({ ...base, LOGIN_FAILURES_PER_ADDRESS: '400' }).loginFailuresPerAddress).to.equal(400);
    expect(() => loadConfig({ ...base, LOGIN_RATE_LIMIT: '30' })).to.throw(ConfigError, /LOGIN_RATE_LIMIT is no longer read/);
  });
  it('requires MFA of admins and auditors in production by default, of nobody in development', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).mfaRequiredRoles).to.deep.equal(['admin', 'auditor']);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).mfaRequiredRoles).to.deep.equal([]);
  });
  it('stops start-up with one clear line when DATABASE_URL is bad', function () {
    this.timeout(30_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'index.ts')], {
      env: { ...process.env, DATABASE_URL: 'mongodb://nowhere/db', NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40) },
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect(run.status).to.equal(1);
    expect(run.stderr.trim()).to.match(/^Configuration error: DATABASE_URL must start with postgres:\/\/, postgresql:\/\/ or sqlite:/);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
  });
  it('stops start-up with a clear line when the PostgreSQL server cannot be reached', function () {
    this.timeout(30_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'index.ts')], {
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40) },
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/Cannot connect to the database \(PostgreSQL\)/);
  });
});
