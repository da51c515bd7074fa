import { recordAuditEntries, type AuditEntryInput } from '../../../audit/chain.ts';
import { can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { HttpError, ValidationError, type FieldError } from '../../../http/errors.ts';
import { ARREARS_EVIDENCE } from '../evidence-owners.ts';
import { ARREARS } from '../policy.ts';
import { arrearsColumns, insertArrearsRows } from '../repository.ts';
import type { EnterpriseScale } from '../../../domain/enterprise-scale.ts';
import { arrearsPosition, lateInterest, nonCompliantTerm, type AgeingBucket, type ArrearsStatus } from '../rules.ts';
import type { ArrearsInput } from '../schema.ts';

/** Registering arrears. */

/** What registering answers (the API's 201 body): the due date in force and where the arrears stands today. */
export interface RegisteredArrears {
  id: number;
  dueOn: string;
  creditorScale: EnterpriseScale;
  outstandingFen: number;
  status: ArrearsStatus;
  ageingBucket: AgeingBucket | null;
  nonCompliantTerm: boolean;
  lateInterestFen: number;
}

/**
 * An officer registers a debt of its own agency to an enterprise, with its evidence (contract,
 * acceptance certificate, invoice). The due date defaults by the statutory 30 days; an agreed term
 * over 60 days with an SME creditor is registered as agreed and flagged, never refused: the ledger
 * records what the agency agreed, and the flag is the finding.
 */
export async function registerArrears(ctx: UseCaseContext, caller: Caller, input: ArrearsInput, files: CheckedFile[] = []): Promise<RegisteredArrears> {
  // An officer may only name its own agency: another answers 403 with a message that says so.
  if (!can(caller.user, ARREARS.create, { agencyId: input.agencyId })) throw new HttpError(403, 'forbidden', 'errors.otherAgency');
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    // One query at a time: a transaction holds one connection.
    const agency: { id: number; name: string } | undefined = await trx('agencies').where({ id: input.agencyId }).first('id', 'name');
    const enterprise: { id: number; name: string; scale: EnterpriseScale } | undefined = await trx('enterprises').where({ id: input.enterpriseId }).first('id', 'name', 'scale');
    const commitment: { agency_id: number; reference_no: string } | undefined = input.commitmentId ? await trx('commitments').where({ id: input.commitmentId }).first('agency_id', 'reference_no') : undefined;
    const errors: FieldError[] = [];
    if (!agency) errors.push({ path: 'agencyId', key: 'validation.invalidOption' });
    if (!enterprise) errors.push({ path: 'enterpriseId', key: 'validation.invalidOption' });
    // A commitment of another agency (or none at all) is not this debt's: the agency links only its own.
    if (input.commitmentId && (!commitment || Number(commitment.agency_id) !== input.agencyId)) errors.push({ path: 'commitmentId', key: 'arrears:errors.commitmentOtherAgency' });
    if (errors.length || !enterprise || !agency) throw new ValidationError(errors);

    const [id] = await insertArrearsRows(trx, [input], caller.actor.id, at);
    const columns = arrearsColumns(input);
    const facts = { principalFen: columns.principal_fen, disputedFen: columns.disputed_fen, dueOn: columns.due_on };
    const position = arrearsPosition(facts, [], today);
    const flagged = nonCompliantTerm(enterprise.scale, { acceptedOn: columns.accepted_on, dueOn: columns.due_on });
    const audit: AuditEntryInput[] = [{
      action: 'arrears.created',
      entityType: 'arrears',
      entityId: id!,
      after: {
        agency: agency.name,
        enterprise: enterprise.name,
        creditorScale: enterprise.scale,
        category: columns.category,
        contractRef: columns.contract_ref,
        contractSignedOn: columns.contract_signed_on,
        principalFen: columns.principal_fen,
        acceptedOn: columns.accepted_on,
        agreedDueOn: columns.agreed_due_on,
        dueOn: columns.due_on,
        nonCompliantTerm: flagged,
        disputedFen: columns.disputed_fen,
        agreedAnnualRate: columns.agreed_annual_rate,
        commitment: commitment?.reference_no ?? null,
        responsibleOfficial: columns.responsible_official,
        description: columns.description,
      },
    }];
    const { auditEntry } = await attachFiles(trx, caller.actor, { type: ARREARS_EVIDENCE, id: id! }, files, { entityType: 'arrears', entityId: id! }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, caller.actor, audit);
    return {
      id: id!,
      dueOn: columns.due_on,
      creditorScale: enterprise.scale,
      outstandingFen: position.outstandingFen,
      status: position.status,
      ageingBucket: position.ageingBucket,
      nonCompliantTerm: flagged,
      lateInterestFen: lateInterest({ ...facts, agreedAnnualRate: columns.agreed_annual_rate }, [], today).totalFen,
    };
  });
}
