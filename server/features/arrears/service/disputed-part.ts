import { recordAuditEntries } from '../../../audit/chain.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { authorize } from '../../../auth/policy.ts';
import { formatYuan } from '../../../domain/money.ts';
import { fieldError } from '../../../http/errors.ts';
import { ARREARS } from '../policy.ts';
import { arrearsScope, refreshArrears, toFen } from '../repository.ts';
import { insertDisputeChange, lockArrears } from '../repository-payments.ts';
import { requiredText } from './action-checks.ts';
import { currentPosition } from './payments.ts';

/**
 * An officer of the debtor agency records a new disputed part (有分歧金额) with the reason, as the
 * agency and the creditor narrow or widen their disagreement. It may not pass what is outstanding;
 * the undisputed rest falls due regardless (Art. 15). Each change is kept with its reason.
 */
export async function reviseDisputedPart(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  input: { disputedFen: number; reason: string },
): Promise<{ disputedFen: number }> {
  const { disputedFen } = input;
  if (!Number.isSafeInteger(disputedFen) || disputedFen < 0) throw fieldError('disputedFen', 'validation.invalid');
  const reason = requiredText('reason', input.reason);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    authorize(caller.user, ARREARS.reviseDispute, await arrearsScope(trx, arrearsId), ARREARS.read);
    const row = (await lockArrears(trx, arrearsId, at))!;
    const previousFen = toFen(row.disputed_fen);
    const { outstandingFen } = await currentPosition(trx, row, today);
    if (disputedFen === previousFen) throw fieldError('disputedFen', 'arrears:payments.disputedPart.errors.unchanged', { amount: formatYuan(previousFen) });
    if (disputedFen > outstandingFen) throw fieldError('disputedFen', 'arrears:payments.disputedPart.errors.overOutstanding', { outstanding: formatYuan(outstandingFen) });
    await insertDisputeChange(trx, { arrearsId, fromFen: previousFen, toFen: disputedFen, reason, recordedBy: caller.actor.id, at });
    await refreshArrears(trx, [arrearsId], at);
    await recordAuditEntries(trx, caller.actor, [{
      action: 'arrears.dispute_revised',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { disputedFen: previousFen },
      after: { disputedFen, disputeReason: reason },
    }]);
    return { disputedFen };
  });
}
