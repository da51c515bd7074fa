import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../server/config.ts';

describe('server lifecycle', function () {
  this.timeout(60_000);

  it('starts on a fresh SQLite file, seeds demo data, prints the URL and accounts, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-life-'));
    const port = 3900 + Math.floor(Math.random() * 90);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'index.ts')], {
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), DATABASE_URL: `sqlite://${dir}/app.sqlite`, AUDIT_ANCHOR_FILE: path.join(dir, 'audit-anchors.jsonl'), SESSION_SECRET: 'y'.repeat(40), INTEGRITY_KEY: 'z'.repeat(40), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !out.includes('Demo password'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).to.include(`http://localhost:${port}`);
    expect(out).to.include('admin (admin), auditor (auditor), officer1 (officer), officer2 (officer), enterprise1 (enterprise)');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).to.equal(200);
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});
