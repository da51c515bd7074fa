import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { conflict } from '../../../http/errors.ts';
import { COMPLAINTS } from '../policy.ts';
import { scopeOf } from '../repository.ts';
import { lockCase, markNameDisclosed } from '../repository-handling.ts';
import { OPEN_STATUSES } from '../rules.ts';
import { requiredText } from './handling-guards.ts';

/**
 * An auditor discloses a withheld complainant name to the agency because the claim cannot be
 * investigated without it, and records why. Only while the case is being handled, and once: from then
 * on the agency's officers see the name (mayKnowComplainant).
 */
export async function discloseName(ctx: UseCaseContext, caller: Caller, id: number, input: { reason: string }): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const reason = requiredText('reason', input.reason, 2000);
  await ctx.db.transaction(async (trx) => {
    const row = await lockCase(trx, id, at);
    authorize(caller.user, COMPLAINTS.supervise, row ? scopeOf(row) : null, COMPLAINTS.read);
    if (!row!.withhold_name) throw conflict('complaints:handling.errors.nameNotWithheld');
    if (row!.name_disclosed_at !== null) throw conflict('complaints:handling.errors.nameAlreadyDisclosed');
    if (!OPEN_STATUSES.includes(row!.status)) throw conflict('complaints:handling.errors.caseNotOpen');
    await markNameDisclosed(trx, id, { reason, by: caller.actor.id, at });
    await recordAuditEntries(trx, caller.actor, [{ action: 'complaint.name_disclosed', entityType: 'complaint', entityId: id, before: { nameWithheld: true }, after: { nameWithheld: false, disclosureReason: reason } }]);
  });
}
