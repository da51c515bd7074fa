import { recordAuditEntries } from '../../../audit/chain.ts';
import { can, definePolicy } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { ValidationError, forbidden } from '../../../http/errors.ts';
import { currentDeadlineSet } from '../repository.ts';
import { insertDeadlineSet } from '../repository-handling.ts';
import { DEADLINE_DAYS_MAX, DEADLINE_DAYS_MIN, deadlineDaysProblems } from '../rules-handling.ts';
import type { DeadlineDays } from '../rules.ts';
import { optionalText } from './handling-guards.ts';

/** The deadline set is reference data kept by the admins, like the holiday calendar and the LPR table. */
export const COMPLAINT_DEADLINES = definePolicy<unknown, 'change'>('complaintDeadlines', {
  change: (user) => user.role === 'admin',
});

/**
 * An admin saves a new version of the working days each step is given (local rules differ: 5, 7 or 15
 * days for a bad review). New cases copy it when they are filed; cases already open keep the days they
 * were opened under, so nothing else is written.
 */
export async function changeDeadlineSet(ctx: UseCaseContext, caller: Caller, input: { days: DeadlineDays; note?: string | null }): Promise<{ id: number }> {
  if (!can(caller.user, COMPLAINT_DEADLINES.change)) throw forbidden();
  const problems = deadlineDaysProblems(input.days);
  if (problems.length) throw new ValidationError(problems.map((path) => ({ path, key: 'complaints:handling.deadlines.errors.range', params: { min: DEADLINE_DAYS_MIN, max: DEADLINE_DAYS_MAX } })));
  const note = optionalText('note', input.note, 500);
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const previous = await currentDeadlineSet(trx);
    const id = await insertDeadlineSet(trx, input.days, note, caller.actor.id, at);
    await recordAuditEntries(trx, caller.actor, [{ action: 'complaint_deadlines.changed', entityType: 'complaint_deadline_set', entityId: id, before: { ...previous.days }, after: { ...input.days, deadlineNote: note } }]);
    return { id };
  });
}
