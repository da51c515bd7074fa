import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../server/config.ts';

/** Starts a command as the leader of its own process group, with a fresh SQLite file and a port of its own. */
function start(command: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; port: number; output: () => string; ready: Promise<void>; exited: Promise<number | null> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'il-life-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const child = spawn(command, args, {
    cwd: ROOT_DIR,
    detached: true,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), DATABASE_URL: `sqlite://${dir}/app.sqlite`, AUDIT_ANCHOR_FILE: path.join(dir, 'audit-anchors.jsonl'), SESSION_SECRET: 'y'.repeat(40), INTEGRITY_KEY: 'k'.repeat(40), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = (async () => {
    for (let i = 0; i < 300 && !out.includes('Demo password'); i++) await new Promise((r) => setTimeout(r, 100));
  })();
  return { child, port, output: () => out, ready, exited };
}

/** Whether any process of the group is still alive: signal 0 only asks. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
}

describe('server lifecycle', function () {
  this.timeout(90_000);

  it('starts on a fresh SQLite file, seeds demo data, prints the URL and accounts, and stops cleanly on SIGTERM', async () => {
    const server = start(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'index.ts')]);
    try {
      await server.ready;
      expect(server.output()).to.include(`http://localhost:${server.port}`);
      expect(server.output()).to.include('admin (admin), auditor (auditor), officer1 (officer), officer2 (officer), enterprise1 (enterprise)');
      const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(health.status).to.equal(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).to.equal(0);
    } finally {
      if (groupAlive(server.child.pid!)) process.kill(-server.child.pid!, 'SIGKILL');
    }
  });

  // npm runs a script through sh: without `exec` the shell stayed between npm and the server and died alone, leaving the server running.
  for (const [how, stop] of [
    ['SIGTERM to npm alone (a process manager)', (pid: number) => process.kill(pid, 'SIGTERM')],
    ['Ctrl-C (SIGINT to the whole foreground group)', (pid: number) => process.kill(-pid, 'SIGINT')],
  ] as const) {
    it(`stops \`npm start\` and its server on ${how}, leaving no process behind`, async () => {
      // At info, the server says it is shutting down: it stopped by its own handler, not killed.
      const npm = start('npm', ['start'], { LOG_LEVEL: 'info' });
      const pgid = npm.child.pid!;
      try {
        await npm.ready;
        expect(await listening(npm.port), npm.output()).to.equal(true);
        stop(pgid);
        await npm.exited;
        for (let i = 0; i < 50 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
        expect(groupAlive(pgid), 'a process of `npm start` is still running').to.equal(false);
        expect(await listening(npm.port)).to.equal(false);
        expect(npm.output()).to.include('shutting down');
      } finally {
        if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
      }
    });
  }
});
