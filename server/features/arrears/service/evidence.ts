import { recordAuditEntries } from '../../../audit/chain.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { fieldError } from '../../../http/errors.ts';
import { ARREARS_EVIDENCE } from '../evidence-owners.ts';
import { ARREARS } from '../policy.ts';
import { arrearsScope } from '../repository.ts';

/**
 * An officer of the debtor agency adds evidence to the arrears record (contract, acceptance
 * certificate, invoice, correspondence), audited as `arrears.evidence_attached`. Keeping the record's
 * file is part of registering it: whoever may register arrears for the agency may add to it.
 */
export async function attachArrearsEvidence(ctx: UseCaseContext, caller: Caller, arrearsId: number, files: CheckedFile[]): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction(async (trx) => {
    authorize(caller.user, ARREARS.create, await arrearsScope(trx, arrearsId), ARREARS.read);
    if (!files.length) throw fieldError('evidence', 'arrears:detail.errors.noFiles');
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: ARREARS_EVIDENCE, id: arrearsId }, files, { entityType: 'arrears', entityId: arrearsId }, at);
    await recordAuditEntries(trx, caller.actor, [auditEntry!]);
  });
}
