import { recordAuditEntries, type AuditActor, type AuditEntryInput } from '../../../audit/chain.ts';
import { can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { attachFiles, type CheckedFile } from '../../../evidence/index.ts';
import { forbidden, ValidationError, type FieldError } from '../../../http/errors.ts';
import { CASE_EVIDENCE } from '../evidence-owners.ts';
import { COMPLAINT_FILING } from '../policy.ts';
import { currentDeadline, currentDeadlineSet, insertStep } from '../repository.ts';
import type { CaseFacts } from '../rules.ts';
import type { ComplaintInput } from '../schema.ts';
import { SUBMIT_STEP } from '../rules-cases.ts';

/** What filing answers (the API's 201 body): the case's number, its state and the date the agency must accept or reject it by. */
export interface FiledComplaint {
  id: number;
  status: 'submitted';
  acceptDueOn: string;
}

/**
 * An enterprise files a complaint against an agency, for itself only: optionally linked to one of its
 * own commitments or arrears with that agency (anything else is a field error that does not say whose
 * the record is), with its evidence files and its choice to withhold its name from the agency. The
 * case copies the deadline set in force, so that a later change of the defaults leaves it as it was
 * opened; it starts submitted, awaiting acceptance within the set's working days.
 */
export async function fileComplaint(ctx: UseCaseContext, caller: Caller, input: ComplaintInput, files: CheckedFile[] = []): Promise<FiledComplaint> {
  const enterpriseId = caller.user.enterpriseId;
  if (enterpriseId === null || !can(caller.user, COMPLAINT_FILING.file, { enterpriseId })) throw forbidden();
  return enterComplaint(ctx, caller.actor, enterpriseId, input, files);
}

/**
 * Filing once the filer is known to speak for the enterprise: what fileComplaint does after its check,
 * and what the demo seed uses for the demo enterprises that have no account (entered by the system).
 */
export async function enterComplaint(ctx: UseCaseContext, actor: AuditActor, enterpriseId: number, input: ComplaintInput, files: CheckedFile[] = []): Promise<FiledComplaint> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(async (trx) => {
    // One query at a time: a transaction holds one connection.
    const agency: { id: number; name: string } | undefined = await trx('agencies').where({ id: input.agencyId }).first('id', 'name');
    const enterprise: { name: string } = await trx('enterprises').where({ id: enterpriseId }).first('name');
    const commitment: { reference_no: string } | undefined = input.commitmentId
      ? await trx('commitments').where({ id: input.commitmentId, enterprise_id: enterpriseId, agency_id: input.agencyId }).first('reference_no')
      : undefined;
    const arrears: { id: number; contract_ref: string | null } | undefined = input.arrearsId
      ? await trx('arrears').where({ id: input.arrearsId, enterprise_id: enterpriseId, agency_id: input.agencyId }).first('id', 'contract_ref')
      : undefined;
    const errors: FieldError[] = [];
    if (!agency) errors.push({ path: 'agencyId', key: 'validation.invalidOption' });
    if (input.commitmentId && !commitment) errors.push({ path: 'commitmentId', key: 'complaints:cases.errors.commitmentNotLinkable' });
    if (input.arrearsId && !arrears) errors.push({ path: 'arrearsId', key: 'complaints:cases.errors.arrearsNotLinkable' });
    if (errors.length || !agency) throw new ValidationError(errors);

    const set = await currentDeadlineSet(trx);
    const facts: CaseFacts = { status: 'submitted', submittedOn: today, acceptedOn: null, resolvedOn: null, badReviewOn: null, rectifiedOn: null, followedUpOn: null, closedOn: null, closeKind: null };
    const awaited = await currentDeadline(trx, facts, set.days);
    const withholdName = input.withholdName ?? false;
    const [{ id: rawId }] = await trx('complaints')
      .insert({
        enterprise_id: enterpriseId,
        agency_id: agency.id,
        category: input.category,
        commitment_id: input.commitmentId ?? null,
        arrears_id: input.arrearsId ?? null,
        statement: input.statement,
        amount_claimed_fen: input.amountClaimedFen ?? null,
        withhold_name: withholdName,
        status: facts.status,
        deadline_set_id: set.id,
        accept_days: set.days.acceptDays,
        resolve_days: set.days.resolveDays,
        rectify_days: set.days.rectifyDays,
        follow_up_days: set.days.followUpDays,
        auto_close_days: set.days.autoCloseDays,
        submitted_on: today,
        ...awaited,
        created_by: actor.id,
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const id = Number(rawId);
    await insertStep(trx, { complaintId: id, action: SUBMIT_STEP, fromStatus: null, toStatus: 'submitted', note: null, stepOn: today, actorId: actor.id, at });
    const audit: AuditEntryInput[] = [{
      action: 'complaint.submitted',
      entityType: 'complaint',
      entityId: id,
      after: {
        agency: agency.name,
        enterprise: enterprise.name,
        category: input.category,
        commitment: commitment?.reference_no ?? null,
        arrears: arrears ? (arrears.contract_ref ?? `#${arrears.id}`) : null,
        statement: input.statement,
        amountClaimedFen: input.amountClaimedFen ?? null,
        withholdName,
        deadlineDays: { accept: set.days.acceptDays, resolve: set.days.resolveDays, rectify: set.days.rectifyDays, followUp: set.days.followUpDays, autoClose: set.days.autoCloseDays },
        acceptDueOn: awaited.current_due_on,
      },
    }];
    const { auditEntry } = await attachFiles(trx, actor, { type: CASE_EVIDENCE, id }, files, { entityType: 'complaint', entityId: id }, at);
    if (auditEntry) audit.push(auditEntry);
    await recordAuditEntries(trx, actor, audit);
    return { id, status: 'submitted', acceptDueOn: awaited.current_due_on! };
  });
}
