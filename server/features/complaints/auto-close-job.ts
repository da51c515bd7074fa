import type { Knex } from 'knex';
import { recordAuditEntries, SYSTEM_ACTOR } from '../../audit/chain.ts';
import type { UseCaseContext } from '../../context.ts';
import type { Clock } from '../../domain/clock.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { JobKind, ProgressReporter } from '../../jobs/types.ts';
import { calendarFor, caseFacts, complaintRow, deadlineDaysOf, insertStep, saveFacts } from './repository.ts';
import { lockCase, resolvedCaseIds } from './repository-handling.ts';
import { nextSweepAt } from './rules-handling.ts';
import { autoClose, autoCloseDue } from './rules.ts';

/*
 * 逾期未评价自动结案: a resolved case nobody rated within its rating window (the case's own working days
 * on the shared calendar) closes by itself, counted as unrated, never as satisfied. A daily job does it:
 * the job runner has delayed jobs but no recurring ones, so each sweep queues the next (tomorrow, 00:30
 * Beijing time), and every app instance queues a first sweep at start-up when none is waiting (the
 * kind's `standing` job). Several instances are safe: each case is closed in a transaction of its own
 * under its row lock, after checking again that it is still resolved and due, so a twin sweep finds
 * nothing left to do; and twin chains of sweeps merge (see scheduleNextSweep).
 */

export const AUTO_CLOSE_JOB_KIND = 'complaints.auto_close';

/** The step an automatic closing is on the case's timeline (complaint_steps.action). */
export const AUTO_CLOSE_STEP = 'auto_close';

const PHASE = 'complaints:handling.autoClose.phase';

/** Another run of the case found it no longer due: nothing of this transaction is kept. */
class NotDue extends Error {}

/** Closes every resolved case whose rating window has passed; answers the ids it closed. */
export async function autoCloseDueCases(ctx: UseCaseContext, progress: ProgressReporter = async () => undefined): Promise<number[]> {
  const today = ctx.clock.today();
  const ids = await resolvedCaseIds(ctx.db);
  const closed: number[] = [];
  for (const [index, id] of ids.entries()) {
    await progress({ done: index, total: ids.length, phase: PHASE });
    if (await closeIfDue(ctx.db, ctx.clock, id, today)) closed.push(id);
  }
  return closed;
}

/** Looks before it locks: a case not yet due is left untouched (not even its updated_at). */
async function isDue(db: Knex, id: number, today: string): Promise<boolean> {
  const row = await complaintRow(db, id);
  if (!row || row.status !== 'resolved') return false;
  const days = deadlineDaysOf(row);
  const facts = caseFacts(row);
  const cal = await calendarFor(db, [facts.resolvedOn ?? today, facts.followedUpOn ?? today, today], days.autoCloseDays);
  return autoCloseDue(facts, days, cal, today);
}

async function closeIfDue(db: Knex, clock: Clock, id: number, today: string): Promise<boolean> {
  if (!(await isDue(db, id, today))) return false;
  const at = clock.now().toISOString();
  try {
    await db.transaction(async (trx) => {
      const row = await lockCase(trx, id, at);
      // Rated, or closed by a twin sweep, since it was looked at.
      if (!row || !(await isDue(trx, id, today))) throw new NotDue();
      const before = caseFacts(row);
      const after = autoClose(before, today);
      await saveFacts(trx, id, after, deadlineDaysOf(row), at);
      await insertStep(trx, { complaintId: id, action: AUTO_CLOSE_STEP, fromStatus: before.status, toStatus: after.status, note: null, stepOn: today, actorId: null, at });
      await recordAuditEntries(trx, SYSTEM_ACTOR, [{ action: 'complaint.auto_closed', entityType: 'complaint', entityId: id, before: { caseStatus: before.status }, after: { caseStatus: after.status, closeKind: after.closeKind } }]);
    });
    return true;
  } catch (err) {
    if (err instanceof NotDue) return false;
    throw err;
  }
}

/**
 * Queues tomorrow's sweep unless another is queued, or another sweep runs that will queue it (the one
 * with the higher id queues: two chains started by two instances at once become one again).
 */
export async function scheduleNextSweep(db: Knex, clock: Clock, selfId: number): Promise<number | null> {
  return db.transaction(async (trx) => {
    const other = await trx('jobs')
      .where({ kind: AUTO_CLOSE_JOB_KIND })
      .whereNot('id', selfId)
      .where((q) => q.where('status', 'queued').orWhere((r) => r.where('status', 'running').where('id', '>', selfId)))
      .first('id');
    if (other) return null;
    return enqueue(trx, autoCloseJob, {}, { clock, runAfter: nextSweepAt(clock.now()) });
  });
}

export interface AutoCloseResult {
  closed: number;
}

export const autoCloseJob: JobKind<Record<string, never>> = {
  kind: AUTO_CLOSE_JOB_KIND,
  standing: (clock) => ({ payload: {}, runAfter: clock.now() }),
  async run(ctx, job, progress) {
    // The next sweep is queued first, so that a sweep that fails half-way does not end the chain.
    await scheduleNextSweep(ctx.db, ctx.clock, job.id);
    const closed = await autoCloseDueCases({ db: ctx.db, clock: ctx.clock }, progress);
    return { result: { closed: closed.length } satisfies AutoCloseResult };
  },
};
