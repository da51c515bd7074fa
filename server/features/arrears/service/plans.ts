import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { isValidDate } from '../../../domain/dates.ts';
import { formatYuan } from '../../../domain/money.ts';
import { conflict, fieldError, ValidationError, type FieldError } from '../../../http/errors.ts';
import { ARREARS } from '../policy.ts';
import { arrearsScope } from '../repository.ts';
import { currentPlans, lockArrears, replacePlan } from '../repository-payments.ts';
import { planMismatch } from '../rules.ts';
import { scheduleProblems } from '../rules-payments.ts';
import { optionalText } from './action-checks.ts';
import { currentPosition } from './payments.ts';

/** Most instalments a plan may have: ten years of monthly ones. */
export const MAX_INSTALMENTS = 120;

export interface PlanInput {
  instalments: Array<{ dueOn: string; amountFen: number }>;
  note?: string | null;
}

/** Every problem with the instalments themselves, filed at `instalments.<index>.dueOn|amountFen`. */
function instalmentErrors(instalments: PlanInput['instalments'], today: string): FieldError[] {
  if (!instalments.length) return [{ path: 'instalments', key: 'arrears:plans.errors.noInstalments' }];
  if (instalments.length > MAX_INSTALMENTS) return [{ path: 'instalments', key: 'arrears:plans.errors.tooMany', params: { max: MAX_INSTALMENTS } }];
  const errors: FieldError[] = [];
  instalments.forEach((i, index) => {
    if (!Number.isSafeInteger(i.amountFen) || i.amountFen <= 0) errors.push({ path: `instalments.${index}.amountFen`, key: 'validation.tooSmall' });
    if (!isValidDate(i.dueOn)) errors.push({ path: `instalments.${index}.dueOn`, key: 'validation.date' });
  });
  if (errors.length) return errors;
  return scheduleProblems(instalments.map((i) => i.dueOn), today).map((p) =>
    p.problem === 'past'
      ? { path: `instalments.${p.index}.dueOn`, key: 'arrears:plans.errors.pastDue', params: { today: p.today } }
      : { path: `instalments.${p.index}.dueOn`, key: 'arrears:plans.errors.notAfterPrevious', params: { date: p.previousDueOn } },
  );
}

/**
 * An officer of the debtor agency saves a repayment plan: instalments due on strictly later dates,
 * none already past, adding up to exactly what is outstanding now (the error says by how much they
 * miss). It replaces the plan in force, which is kept as superseded; instalments are measured against
 * payments counted after it was saved. A plan does not stop interest, and a cleared arrears has none.
 */
export async function saveRepaymentPlan(ctx: UseCaseContext, caller: Caller, arrearsId: number, input: PlanInput): Promise<{ planId: number }> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  const note = optionalText('note', input.note);
  const errors = instalmentErrors(input.instalments, today);
  return ctx.db.transaction(async (trx) => {
    authorize(caller.user, ARREARS.plan, await arrearsScope(trx, arrearsId), ARREARS.read);
    if (errors.length) throw new ValidationError(errors);
    const row = (await lockArrears(trx, arrearsId, at))!;
    const position = await currentPosition(trx, row, today);
    if (position.outstandingFen === 0) throw conflict('arrears:plans.errors.cleared');
    const mismatch = planMismatch(position.outstandingFen, input.instalments.map((i) => i.amountFen));
    if (mismatch !== null) {
      throw fieldError('instalments', mismatch > 0 ? 'arrears:plans.errors.overOutstanding' : 'arrears:plans.errors.underOutstanding', {
        difference: formatYuan(Math.abs(mismatch)),
        outstanding: formatYuan(position.outstandingFen),
      });
    }
    const previous = (await currentPlans(trx, [arrearsId])).get(arrearsId) ?? null;
    const instalments = input.instalments.map((i) => ({ dueOn: i.dueOn, amountFen: i.amountFen }));
    const { planId } = await replacePlan(trx, { arrearsId, paidFenAtStart: position.paidFen, totalFen: position.outstandingFen, note, instalments, createdBy: caller.actor.id, at });
    await recordAuditEntries(trx, caller.actor, [{
      action: 'arrears.plan_saved',
      entityType: 'arrears',
      entityId: arrearsId,
      before: previous ? { planTotalFen: previous.totalFen, instalments: previous.instalments.map((i) => ({ dueOn: i.dueOn, amountFen: i.amountFen })) } : null,
      after: { planId, planTotalFen: position.outstandingFen, instalments, planNote: note },
    }]);
    return { planId };
  });
}
