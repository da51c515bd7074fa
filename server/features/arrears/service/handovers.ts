import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { fieldError } from '../../../http/errors.ts';
import { ARREARS } from '../policy.ts';
import { arrearsScope } from '../repository.ts';
import { insertHandover, latestHandoverOn, lockArrears } from '../repository-payments.ts';
import { optionalText, pastDate, requiredText } from './action-checks.ts';

/**
 * A new official takes over responsibility for an arrears; what is owed does not change. Changed
 * officials are no excuse (Art. 14): arrears that fall due from the handover on are flagged
 * (rules.overdueAfterHandover). An arrears registered without an official hands over from none ('').
 */
export async function recordHandover(
  ctx: UseCaseContext,
  caller: Caller,
  arrearsId: number,
  input: { toOfficial: string; handedOverOn: string; note?: string | null },
): Promise<{ handoverId: number }> {
  const toOfficial = requiredText('toOfficial', input.toOfficial, 100);
  const note = optionalText('note', input.note);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    authorize(caller.user, ARREARS.handOver, await arrearsScope(trx, arrearsId), ARREARS.read);
    const row = (await lockArrears(trx, arrearsId, at))!;
    const fromOfficial = row.responsible_official ?? '';
    if (toOfficial === fromOfficial) throw fieldError('toOfficial', 'arrears:handovers.errors.sameOfficial', { name: toOfficial });
    const latest = await latestHandoverOn(trx, arrearsId);
    pastDate('handedOverOn', input.handedOverOn, today, latest ? { date: latest, key: 'arrears:handovers.errors.beforeLastHandover' } : undefined);
    const handoverId = await insertHandover(trx, { arrearsId, fromOfficial, toOfficial, handedOverOn: input.handedOverOn, note, recordedBy: caller.actor.id, at });
    await recordAuditEntries(trx, caller.actor, [{
      action: 'arrears.handed_over',
      entityType: 'arrears',
      entityId: arrearsId,
      before: { responsibleOfficial: row.responsible_official },
      after: { responsibleOfficial: toOfficial, handedOverOn: input.handedOverOn, handoverNote: note, handoverId },
    }]);
    return { handoverId };
  });
}
