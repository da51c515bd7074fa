import { recordAudit } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { ValidationError } from '../../../http/errors.ts';
import { LITIGATION } from '../policy.ts';
import { caseScope, insertHearing } from '../repository.ts';
import { hearingProblems } from '../rules.ts';
import type { HearingInput } from '../schema.ts';

/**
 * The defendant agency's officers record a hearing held in one of its cases: whether the head
 * appeared and spoke, and who stood in when the head did not. Appended to the case's history.
 */
export async function recordHearing(ctx: UseCaseContext, caller: Caller, caseId: number, input: HearingInput): Promise<{ id: number }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    const scope = await caseScope(trx, caseId);
    authorize(caller.user, LITIGATION.recordHearing, scope, LITIGATION.read);
    const record = { ...input, headName: input.headName ?? null, appearedInstead: input.appearedInstead ?? null };
    const problems = hearingProblems(record, scope.filedOn, today);
    if (problems.length) {
      throw new ValidationError(problems.map((p) => ({ path: p.field, key: `litigation:errors.hearing.${p.problem}`, params: { today, filedOn: scope.filedOn } })));
    }
    const id = await insertHearing(trx, caseId, input, caller.actor.id, at);
    await recordAudit(trx, caller.actor, {
      action: 'litigation.hearing_recorded',
      entityType: 'litigation_case',
      entityId: caseId,
      after: { hearingOn: input.hearingOn, headAppeared: input.headAppeared, headSpoke: input.headSpoke, headName: record.headName, appearedInstead: record.appearedInstead, note: input.note ?? null },
    });
    return { id };
  });
}
