import { expect } from 'chai';
import type { Knex } from 'knex';
import { capturingLogger } from '../../test/helpers.ts';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { fixedClock } from '../domain/clock.ts';
import { createI18n } from '../i18n/index.ts';
import { jobStatusView } from './present.ts';
import { claimNext, completeJob, enqueue, findJob, JobLost, jobOutput, MAX_ERROR_BYTES, writeProgress } from './queue.ts';
import { queueStandingJobs, runQueuedJobs, startJobRunner } from './runner.ts';
import { JobFailed, takeInput, type JobKind } from './types.ts';
import { jobsCatalogue } from './locales.ts';

const T0 = '2026-11-30T08:00:00.000Z';
const at = (minutes: number) => fixedClock(new Date(Date.parse(T0) + minutes * 60_000));

/** A kind whose work the test decides, job by job. */
function kind(name: string, run: JobKind['run'], maxAttempts?: number): JobKind {
  return { kind: name, run, ...(maxAttempts ? { maxAttempts } : {}) };
}
const succeeding = kind('test.succeed', async (_ctx, job) => ({ result: { echoed: job.payload } }));

describe('jobs', () => {
  let test: TestDatabase;
  let db: Knex;

  beforeEach(async () => {
    test = await freshDatabase();
    db = test.db;
  });
  afterEach(() => test.drop());

  describe('claiming', () => {
    it('gives each queued job to exactly one of several instances asking at once, oldest first', async () => {
      const ids = [];
      for (const n of [1, 2, 3]) ids.push(await enqueue(db, succeeding, { n }, { clock: at(0) }));
      const claims = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((instance) => claimNext(db, { kinds: [succeeding.kind], instance, clock: at(0) })));
      const claimed = claims.filter((c) => c !== null);
      expect(claimed.map((c) => c.id).sort((a, b) => a - b)).to.deep.equal(ids);
      for (const c of claimed) expect(await db('jobs').where({ id: c.id }).first('claimed_by', 'attempts', 'status')).to.deep.equal({ claimed_by: c.claimedBy, attempts: 1, status: 'running' });
      expect(claims.filter((c) => c === null)).to.have.length(2);
    });

    it('leaves jobs of kinds it does not run to other instances, and scheduled jobs until their time', async () => {
      await enqueue(db, kind('other.kind', async () => ({})), {}, { clock: at(0) });
      const later = await enqueue(db, succeeding, {}, { clock: at(0), runAfter: at(10).now() });
      expect(await claimNext(db, { kinds: [succeeding.kind], instance: 'a', clock: at(9) })).to.equal(null);
      expect((await claimNext(db, { kinds: [succeeding.kind], instance: 'a', clock: at(10) }))?.id).to.equal(later);
    });

    it('hands the file a job was given to the instance that runs it, and forgets it when the job ends', async () => {
      const input = Buffer.from([0, 1, 2, 250, 251]);
      const id = await enqueue(db, succeeding, {}, { clock: at(0), input, createdBy: null, agencyId: null });
      const job = (await claimNext(db, { kinds: [succeeding.kind], instance: 'a', clock: at(0) }))!;
      expect(job.input!.equals(input)).to.equal(true);
      await completeJob(db, job, { result: 1 }, at(1));
      expect(await db('jobs').where({ id }).first('input')).to.deep.equal({ input: null });
    });
  });

  describe('an instance that stops', () => {
    it('loses its job to another once its heartbeat is stale, and can no longer write to it', async () => {
      const id = await enqueue(db, succeeding, {}, { clock: at(0) });
      const first = (await claimNext(db, { kinds: [succeeding.kind], instance: 'first', clock: at(0) }))!;
      await writeProgress(db, first, { done: 10, total: 100, phase: 'test.phase' }, at(1));
      expect(await claimNext(db, { kinds: [succeeding.kind], instance: 'second', clock: at(2) })).to.equal(null);

      const second = (await claimNext(db, { kinds: [succeeding.kind], instance: 'second', clock: at(3.5) }))!;
      expect([second.id, second.attempts]).to.deep.equal([id, 2]);
      let lost: unknown;
      await writeProgress(db, first, { done: 20, total: 100, phase: 'test.phase' }, at(4)).catch((err: unknown) => (lost = err));
      expect(lost).to.be.instanceOf(JobLost);
      await completeJob(db, first, { result: 'from the first' }, at(4)).catch((err: unknown) => (lost = err));
      expect(lost).to.be.instanceOf(JobLost);
      await completeJob(db, second, { result: 'from the second' }, at(4));
      expect(await findJob(db, id)).to.deep.include({ status: 'done', result: 'from the second' });
    });

    it('fails a job that was taken up as many times as it may be, instead of starting it again', async () => {
      const fragile = kind('test.fragile', async () => ({}), 2);
      const id = await enqueue(db, fragile, {}, { clock: at(0), input: Buffer.from('file') });
      await claimNext(db, { kinds: [fragile.kind], instance: 'a', clock: at(0) });
      await claimNext(db, { kinds: [fragile.kind], instance: 'b', clock: at(3) });
      expect(await claimNext(db, { kinds: [fragile.kind], instance: 'c', clock: at(6) })).to.equal(null);
      expect(await findJob(db, id)).to.deep.include({ status: 'failed', attempts: 2, error: { key: 'jobs:errors.abandoned' } });
      expect(await db('jobs').where({ id }).first('input')).to.deep.equal({ input: null });
    });

    it('returns the job in hand to the queue when the runner is stopped, without counting the attempt', async () => {
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const reached: number[] = [];
      const slow = kind('test.slow', async (_ctx, _job, progress) => {
        await progress({ done: 1, total: 3, phase: 'test.phase' });
        reached.push(1);
        started();
        await released;
        await progress({ done: 2 });
        reached.push(2);
        return {};
      });
      const id = await enqueue(db, slow, {});
      const runner = startJobRunner({ db, logger: capturingLogger().logger, kinds: [slow], pollMs: 10 });
      await running;
      const stopped = runner.stop();
      release();
      await stopped;
      expect(reached).to.deep.equal([1]);
      expect(await findJob(db, id)).to.deep.include({ status: 'queued', attempts: 0, progress: { done: 0, total: null, phase: null } });
    });
  });

  describe('standing jobs', () => {
    it('are queued by an instance’s first poll when none of the kind is waiting or running, then run', async () => {
      let ran!: () => void;
      const done = new Promise<void>((resolve) => (ran = resolve));
      const sweep: JobKind = { kind: 'test.sweep', standing: () => ({ payload: { first: true } }), run: async (_ctx, job) => {
        ran();
        return { result: job.payload };
      } };
      const runner = startJobRunner({ db, logger: capturingLogger().logger, kinds: [sweep, succeeding], pollMs: 10 });
      await done;
      await runner.stop();
      const jobs = await db('jobs').where({ kind: 'test.sweep' });
      expect(jobs).to.have.length(1);
      expect(await queueStandingJobs(db, [sweep, succeeding], at(0))).to.deep.equal(['test.sweep']);
      expect(await queueStandingJobs(db, [sweep, succeeding], at(0))).to.deep.equal([]);
    });
  });

  describe('running', () => {
    it('records progress as the job goes, then its result', async () => {
      const seen: unknown[] = [];
      const counting = kind('test.count', async ({ db: jobDb }, job, progress) => {
        await progress({ done: 0, total: 2, phase: 'test.counting' });
        seen.push((await findJob(jobDb, job.id))!.progress);
        return { result: { counted: 2 } };
      });
      const id = await enqueue(db, counting, {});
      expect(await runQueuedJobs({ db, logger: capturingLogger().logger, kinds: [counting] })).to.equal(1);
      expect(seen).to.deep.equal([{ done: 0, total: 2, phase: 'test.counting' }]);
      expect(await findJob(db, id)).to.deep.include({ status: 'done', result: { counted: 2 }, error: null, attempts: 1 });
    });

    it('fails at once, without retrying, on a failure the user can act on, keeping its result and output', async () => {
      let runs = 0;
      const refusing = kind('test.refuse', async () => {
        runs++;
        throw new JobFailed({ key: 'test.refused', params: { count: 3, name: '很长的名字'.repeat(500) } }, { result: { problemCount: 3 }, output: { data: Buffer.from('[1,2,3]'), type: 'application/json' } });
      });
      const id = await enqueue(db, refusing, {});
      await runQueuedJobs({ db, logger: capturingLogger().logger, kinds: [refusing] });
      await runQueuedJobs({ db, logger: capturingLogger().logger, kinds: [refusing] });
      const job = (await findJob(db, id))!;
      expect([runs, job.status, job.result, job.outputType]).to.deep.equal([1, 'failed', { problemCount: 3 }, 'application/json']);
      expect(job.error!.key).to.equal('test.refused');
      expect(job.error!.params!.count).to.equal(3);
      expect(String(job.error!.params!.name)).to.have.length(200);
      expect(String((await db('jobs').where({ id }).first('error')).error).length).to.be.at.most(MAX_ERROR_BYTES);
      expect(String((await jobOutput(db, id))!.data)).to.equal('[1,2,3]');
    });

    it('logs an unexpected failure with its cause, tries again later, and fails the job after its last attempt', async () => {
      const broken = kind('test.broken', async () => {
        throw new Error('could not read the ledger', { cause: new Error('disk I/O error') });
      }, 2);
      const id = await enqueue(db, broken, {}, { clock: at(0), input: Buffer.from('file') });
      const { logger, entries } = capturingLogger();

      expect(await runQueuedJobs({ db, logger, kinds: [broken], clock: at(0) })).to.equal(1);
      expect(await findJob(db, id)).to.deep.include({ status: 'queued', attempts: 1, error: null });
      expect(await runQueuedJobs({ db, logger, kinds: [broken], clock: at(0.25) })).to.equal(0);
      expect(await runQueuedJobs({ db, logger, kinds: [broken], clock: at(0.5) })).to.equal(1);

      expect(await findJob(db, id)).to.deep.include({ status: 'failed', attempts: 2, error: { key: 'jobs:errors.internal' } });
      expect(await db('jobs').where({ id }).first('input')).to.deep.equal({ input: null });
      expect(entries.map((e) => [e.msg, e.jobId, e.kind, e.attempt])).to.deep.equal([
        ['job failed unexpectedly', id, 'test.broken', 1],
        ['job failed unexpectedly', id, 'test.broken', 2],
      ]);
      expect(entries[0]!.err!.message).to.include('could not read the ledger');
      expect(entries[0]!.err!.stack).to.include('disk I/O error');
    });

    it('refuses to keep a result too large for a job row, and says so in the log', async () => {
      const bloated = kind('test.bloated', async () => ({ result: { rows: Array.from({ length: 10_000 }, (_, i) => ({ row: i, problem: '太长' })) } }));
      const id = await enqueue(db, bloated, {});
      const { logger, entries } = capturingLogger();
      await runQueuedJobs({ db, logger, kinds: [bloated] });
      expect(await findJob(db, id)).to.deep.include({ status: 'failed', result: null, error: { key: 'jobs:errors.internal' } });
      expect(entries.map((e) => e.msg)).to.deep.equal(['job result is too large to keep: a job should put long lists in its output file']);
    });
  });

  it('records the failure of a kind that audits its failures, in one go with the failure, in the name of whoever queued it', async () => {
    const [{ id: userId }] = await db('users').insert({ username: 'officer9', display_name: '赵九', password_hash: 'x', role: 'officer', created_at: T0, updated_at: T0 }).returning('id');
    const audited = (name: string, run: JobKind['run']): JobKind => ({
      ...kind(name, run, 1),
      failureAudit: (job, error, outcome) => ({ action: 'test.failed', entityType: 'test_job', entityId: job.id, after: { error: error.key, result: outcome.result ?? null } }),
    });
    const refusing = audited('test.refuse', async () => {
      throw new JobFailed({ key: 'test.refused' }, { result: { problemCount: 3 } });
    });
    const broken = audited('test.broken', async () => {
      throw new Error('disk I/O error');
    });
    const stalled = audited('test.stalled', async () => ({}));
    const refused = await enqueue(db, refusing, {}, { clock: at(0), createdBy: userId });
    const failed = await enqueue(db, broken, {}, { clock: at(0), createdBy: userId });
    const abandoned = await enqueue(db, stalled, {}, { clock: at(0), createdBy: userId });
    const kinds = [refusing, broken, stalled];
    // The stalled job's only instance stops while running it; another instance finds it stale and gives it up.
    await claimNext(db, { kinds: [stalled.kind], instance: 'stopped', clock: at(0) });
    await runQueuedJobs({ db, logger: capturingLogger().logger, kinds, clock: at(0) });
    await runQueuedJobs({ db, logger: capturingLogger().logger, kinds, clock: at(6) });

    const entries = await db('audit_log').where({ action: 'test.failed' }).orderBy('id');
    expect(entries.map((e) => [Number(e.entity_id), e.actor_id, e.actor_name, JSON.parse(e.after_json)])).to.deep.equal([
      [refused, userId, 'officer9', { error: 'test.refused', result: { problemCount: 3 } }],
      [failed, userId, 'officer9', { error: 'jobs:errors.internal', result: null }],
      [abandoned, userId, 'officer9', { error: 'jobs:errors.abandoned', result: null }],
    ]);
    for (const id of [refused, failed, abandoned]) expect((await findJob(db, id))!.status).to.equal('failed');
  });

  it('describes a job for its page in the reader’s language: status, phase with its counts, and why it failed', async () => {
    const i18n = await createI18n({ jobs: jobsCatalogue, test: { 'zh-CN': { checking: '已检查 {{done}} / {{total}} 行', refused: '有 {{count}} 处错误' }, en: { checking: '{{done}} of {{total}} rows checked', refused: '{{count}} errors' } } });
    const id = await enqueue(db, succeeding, {});
    const job = (await claimNext(db, { kinds: [succeeding.kind], instance: 'a', clock: at(0) }))!;
    await writeProgress(db, job, { done: 40, total: 120, phase: 'test:checking' }, at(0));
    expect(jobStatusView((await findJob(db, id))!, i18n.getFixedT('zh-CN'))).to.deep.equal({
      id, status: 'running', statusLabel: '正在处理', badge: 'badge-info', finished: false, progress: { done: 40, total: 120 }, phaseLabel: '已检查 40 / 120 行', error: null,
    });
    await db('jobs').where({ id }).update({ status: 'failed', error: JSON.stringify({ key: 'test:refused', params: { count: 3 } }) });
    expect(jobStatusView((await findJob(db, id))!, i18n.getFixedT('en'))).to.include({ status: 'failed', statusLabel: 'Failed', finished: true, phaseLabel: '', error: '3 errors' });
  });

  it('hands a job its file once: taken, the job holds it no longer, and a job without a file is an error', async () => {
    const id = await enqueue(db, succeeding, {}, { clock: at(0), input: Buffer.from('ledger') });
    const job = (await claimNext(db, { kinds: [succeeding.kind], instance: 'a', clock: at(0) }))!;
    expect(job.id).to.equal(id);
    expect(takeInput(job).toString()).to.equal('ledger');
    expect(job.input).to.equal(null);
    expect(() => takeInput(job)).to.throw(`job ${id} has no file`);
  });
});
