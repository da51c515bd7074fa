/**
 * Request memory benchmark: the peak memory (RSS) of a real app instance while one big or hostile
 * request goes through it end to end: sign-in, the upload, the import job, and the progress polls
 * until the job has ended; or evidence files posted to a form or to a path that does not exist.
 * Each case runs in a server of its own, started by `npm start` itself (so with its build step and
 * Node options, its app and its job runner) on a SQLite file, so that its peak is its own; this
 * process makes the files and is the browser. Reported per case: the server's RSS once started and
 * signed in, its peak (VmHWM, from /proc: Linux only), the largest progress answer, and the
 * temporary files left behind. BENCH_CASES picks the cases whose name contains it; BENCH_TRACE=1 also
 * prints the server's RSS and peak at each progress poll of an import, with the job's progress, to
 * show which phase (upload, check, insert) sets the peak.
 *
 *   npx tsx bench/request-memory.ts
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { useAuditChain } from '../server/audit/chain.ts';
import { loadConfig } from '../server/config.ts';
import { systemClock } from '../server/domain/clock.ts';
import { createCommitment } from '../server/features/commitments/service/register.ts';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES } from '../server/http/uploads.ts';
import { testWorkbook } from '../server/spreadsheets/testing.ts';
import { callerFor, commitmentInput, daysFromToday, demoUser } from '../test/factories.ts';
import { HEADERS, LEDGER_FILE_CASES, MB, csvOf, ledgerRows } from './ledger-files.ts';

const PASSWORD = 'Demo#2026pass';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_SCRIPT = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
const POLL_MS = 250;
const TRACE = process.env.BENCH_TRACE === '1';
/** The server of the running case, for BENCH_TRACE. */
let serverPid = 0;
const SECRETS = { SESSION_SECRET: 'bench-session-secret-'.padEnd(40, 's'), INTEGRITY_KEY: 'bench-integrity-key-'.padEnd(40, 'k') };

interface Report {
  rssMb: number;
  peakRssMb: number;
}

/* ---------- the server: `npm start` itself ---------- */

/** The server's resident memory now and at its peak (VmHWM), from /proc, in MB. */
function memoryOf(pid: number): Report {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** The server process: npm's child, which `exec` in the start script makes the Node process itself. */
function serverPidOf(npmPid: number): number {
  const children = readFileSync(`/proc/${npmPid}/task/${npmPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`npm start has ${children.length} child processes`);
  return children[0]!;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/* ---------- the browser ---------- */

class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.origin + pathname, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  }

  async page(pathname: string): Promise<string> {
    const res = await this.fetch(pathname);
    if (res.status !== 200) throw new Error(`GET ${pathname}: ${res.status}`);
    return res.text();
  }

  async signIn(username: string): Promise<void> {
    const token = /name="_csrf" value="([^"]+)"/.exec(await this.page('/login'))![1]!;
    const res = await this.fetch('/login', { method: 'POST', body: new URLSearchParams({ username, password: PASSWORD, _csrf: token }) });
    if (res.status !== 303) throw new Error(`sign-in of ${username}: ${res.status}`);
  }

  /** The address of the upload form on a page, with its CSRF token, as the page writes it. */
  async uploadAction(pathname: string, action: string): Promise<string> {
    const html = await this.page(pathname);
    const found = new RegExp(`action="(${action.replace(/[/.]/g, '\\$&')}\\?_csrf=[^"]+)"`).exec(html);
    if (!found) throw new Error(`no upload form for ${action} on ${pathname}`);
    return found[1]!.replace(/&amp;/g, '&');
  }
}

/* ---------- the cases ---------- */

interface Outcome {
  /** What the server answered, in a few words. */
  answer: string;
  /** Bytes of the largest progress answer while the job ran. */
  largestPollBytes?: number;
}

interface RequestCase {
  name: string;
  /** The file the case sends, made before its server starts. */
  file?: () => Promise<Buffer>;
  run(origin: string, prepared: Prepared, file: Buffer): Promise<Outcome>;
}

interface Prepared {
  commitmentId: number;
  milestoneId: number;
}

async function importThroughUpload(origin: string, name: string, data: Buffer): Promise<Outcome> {
  const browser = new Browser(origin);
  await browser.signIn('officer1');
  const action = await browser.uploadAction('/commitments/import', '/commitments/import');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const posted = await browser.fetch(action, { method: 'POST', body: form });
  const location = posted.headers.get('location');
  if (posted.status !== 303 || !location) throw new Error(`upload of ${name}: ${posted.status} ${(await posted.text()).slice(0, 300)}`);
  const queuedAt = performance.now();
  let largestPollBytes = 0;
  const failedPolls: number[] = [];
  for (;;) {
    const poll = await browser.fetch(`${location}/status`);
    const text = await poll.text();
    if (poll.status !== 200) {
      // A poll that waited too long for the database (SQLite's one connection, busy with the import's transaction).
      failedPolls.push(poll.status);
      if (poll.status === 303) throw new Error(`${name}: signed out by a failed progress poll (${failedPolls.join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    largestPollBytes = Math.max(largestPollBytes, Buffer.byteLength(text));
    const status = JSON.parse(text) as { status: string; finished: boolean; error: string | null; progress: { done: number }; phaseLabel: string };
    if (TRACE) {
      const now = memoryOf(serverPid);
      console.log(`    ${((performance.now() - queuedAt) / 1000).toFixed(1)} s: RSS ${now.rssMb.toFixed(0)} MB, peak ${now.peakRssMb.toFixed(0)} MB; ${status.status}, ${status.progress.done} rows, ${status.phaseLabel.slice(0, 24)}`);
    }
    if (status.finished) {
      const page = await browser.page(location);
      const seconds = ((performance.now() - queuedAt) / 1000).toFixed(1);
      const failed = failedPolls.length ? `; ${failedPolls.length} progress polls failed (${[...new Set(failedPolls)].join(', ')})` : '';
      return { answer: `job ${status.status} after ${seconds} s${status.error ? `: ${status.error}` : ''} (job page ${(Buffer.byteLength(page) / 1024).toFixed(0)} KB)${failed}`, largestPollBytes };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Ten files of the largest size a form keeps, each different, so that each is stored. */
function evidenceFiles(): FormData {
  const form = new FormData();
  for (let n = 1; n <= MAX_UPLOAD_FILES; n++) {
    const pdf = Buffer.alloc(MAX_UPLOAD_BYTES, 0x20);
    pdf.write(`%PDF-1.4\n% bench file ${n}\n`);
    pdf.write('\n%%EOF\n', MAX_UPLOAD_BYTES - 7);
    form.append('fulfilmentEvidence', new Blob([new Uint8Array(pdf)]), `扫描件-${n}.pdf`);
  }
  return form;
}

/** The largest ledger CSV of whole commitments (five rows each) that the upload limit takes. */
function largestCsv(): Buffer {
  const rows = ledgerRows(25_000);
  let bytes = csvOf([]).length;
  let kept = 0;
  while (kept + 5 <= rows.length) {
    const more = rows.slice(kept, kept + 5).reduce((n, r) => n + Buffer.byteLength(r.join(',')) + 2, 0);
    if (bytes + more > MAX_UPLOAD_BYTES) break;
    bytes += more;
    kept += 5;
  }
  return csvOf(rows.slice(0, kept));
}

const uploadable = (name: string) => LEDGER_FILE_CASES.find((c) => c.name.startsWith(name))!;

const CASES: RequestCase[] = [
  { name: 'signed in, nothing else (baseline)', run: async (origin) => {
    await new Browser(origin).signIn('officer1');
    return { answer: 'signed in' };
  } },
  ...['50,000 rows, no shared strings', '100,001 rows workbook', 'shared strings at their limit', 'zip bomb: 300 MB sheet', 'zip bomb whose headers', '300 MB cell packed small'].map((name): RequestCase => ({
    name: `import: ${uploadable(name).name}`,
    file: uploadable(name).make,
    run: (origin, _prepared, file) => importThroughUpload(origin, `ledger.${uploadable(name).format}`, file),
  })),
  {
    name: 'import: 100,000 rows workbook with shared strings (accepted)',
    file: () => testWorkbook({ rows: [HEADERS, ...ledgerRows(20_000)], compressionLevel: 1 }),
    run: (origin, _prepared, file) => importThroughUpload(origin, 'ledger.xlsx', file),
  },
  {
    name: 'import: the largest ledger CSV within the 20 MB upload limit (accepted)',
    file: async () => largestCsv(),
    run: (origin, _prepared, file) => importThroughUpload(origin, 'ledger.csv', file),
  },
  {
    name: `evidence: an enterprise user posts ${MAX_UPLOAD_FILES} × 20 MB to a path that does not exist`,
    run: async (origin) => {
      const browser = new Browser(origin);
      await browser.signIn('enterprise1');
      const token = /name="_csrf" value="([^"]+)"/.exec(await browser.page('/'))![1]!;
      const res = await browser.fetch(`/no-such-path?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: evidenceFiles() });
      return { answer: String(res.status) };
    },
  },
  {
    name: `evidence: an officer attaches ${MAX_UPLOAD_FILES} × 20 MB files to a fulfilment`,
    run: async (origin, { commitmentId, milestoneId }) => {
      const browser = new Browser(origin);
      await browser.signIn('officer1');
      const action = await browser.uploadAction(`/commitments/${commitmentId}`, `/commitments/${commitmentId}/fulfilments`);
      const form = evidenceFiles();
      for (const [k, v] of Object.entries({ fulfilmentMilestoneId: String(milestoneId), fulfilledOn: daysFromToday(0), fulfilmentNote: '十份扫描件', fulfilmentAmount: '' })) form.append(k, v);
      const res = await browser.fetch(action, { method: 'POST', body: form });
      return { answer: res.status === 303 ? '303, ten files stored' : `${res.status} ${(await res.text()).slice(0, 200)}` };
    },
  },
];

/* ---------- the run ---------- */

async function prepare(dbFile: string): Promise<Prepared> {
  const config = loadConfig({ ...SECRETS, NODE_ENV: 'development', DATABASE_URL: `sqlite://${dbFile}` });
  const db = createDb(config.db);
  useAuditChain(db, { integrityKey: config.integrityKey, anchorFile: path.join(path.dirname(dbFile), 'audit-anchors.jsonl') });
  try {
    await migrateLatest(db);
    await seedDemoCore(db, PASSWORD);
    const officer1 = await demoUser(db, 'officer1');
    const commitmentId = await createCommitment({ db, clock: systemClock }, callerFor(officer1), commitmentInput(officer1.agencyId!, { signedOn: daysFromToday(-30) }));
    const { id: milestoneId } = await db('milestones').where({ commitment_id: commitmentId }).first('id');
    return { commitmentId, milestoneId: Number(milestoneId) };
  } finally {
    await db.destroy();
  }
}

async function runCase(spec: RequestCase, template: string, workDir: string, prepared: Prepared): Promise<string> {
  const file = spec.file ? await spec.file() : Buffer.alloc(0);
  const dbFile = path.join(workDir, 'case.sqlite');
  copyFileSync(template, dbFile);
  const childTmp = mkdtempSync(path.join(workDir, 'tmp-'));
  const port = await freePort();
  const env = { ...process.env, ...SECRETS, NODE_ENV: 'development', LOG_LEVEL: 'silent', PORT: String(port), DATABASE_URL: `sqlite://${dbFile}`, AUDIT_ANCHOR_FILE: path.join(workDir, 'audit-anchors.jsonl'), TMPDIR: childTmp };
  const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      npm.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('is running at')) resolve();
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
    });
    const pid = serverPidOf(npm.pid!);
    serverPid = pid;
    const origin = `http://127.0.0.1:${port}`;
    await new Browser(origin).signIn('auditor');
    const started = memoryOf(pid);
    const outcome = await spec.run(origin, prepared, file);
    const after = memoryOf(pid);
    const leftovers = readdirSync(childTmp).filter((name) => !name.startsWith('tsx-'));
    const poll = outcome.largestPollBytes === undefined ? '' : `, largest progress answer ${outcome.largestPollBytes} B`;
    const size = spec.file ? ` (${(file.length / MB).toFixed(2)} MB file)` : '';
    return `  ${spec.name}${size}: RSS ${started.rssMb.toFixed(0)} MB signed in, peak ${after.peakRssMb.toFixed(0)} MB (+${(after.peakRssMb - started.rssMb).toFixed(0)})${poll}, temporary files left ${leftovers.length} → ${outcome.answer}`;
  } finally {
    // npm and the server are one process group of their own.
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    rmSync(childTmp, { recursive: true, force: true });
    rmSync(dbFile, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  }
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'il-request-bench-'));
  try {
    const template = path.join(workDir, 'template.sqlite');
    const prepared = await prepare(template);
    console.log('Request memory: each case in a server of its own, started by `npm start` (the app and its job runner, SQLite file); peak RSS (VmHWM) from process start');
    console.log(`npm start: ${START_SCRIPT}`);
    const only = process.env.BENCH_CASES;
    for (const spec of CASES) if (!only || spec.name.includes(only)) console.log(await runCase(spec, template, workDir, prepared));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
