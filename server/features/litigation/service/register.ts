import { isUniqueViolation } from '../../../../db/dialect.ts';
import { recordAudit } from '../../../audit/chain.ts';
import { authorize, can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { HttpError, ValidationError, fieldError, type FieldError } from '../../../http/errors.ts';
import type { Knex } from 'knex';
import { LITIGATION } from '../policy.ts';
import { caseNoTaken, caseRow, caseScope, insertCase, rewriteCase, type CaseRow } from '../repository.ts';
import type { CaseInput } from '../schema.ts';

/** Recording and editing the cases of the register. */

function duplicateCaseNo(input: CaseInput): ValidationError {
  return fieldError('caseNo', 'litigation:errors.duplicateCaseNo', { caseNo: input.caseNo, court: input.court });
}

/**
 * What the input names must exist, the dates must have passed, and the court must not have the case
 * number already; answers the plaintiff's name (the registered enterprise's when none is typed).
 */
async function checkCase(db: Knex, input: CaseInput, selfId: number | null, today: string): Promise<{ plaintiffName: string; agencyName: string; enterpriseName: string | null }> {
  const errors: FieldError[] = [];
  const agency: { name: string } | undefined = await db('agencies').where({ id: input.agencyId }).first('name');
  if (!agency) errors.push({ path: 'agencyId', key: 'validation.invalidOption' });
  const enterprise: { name: string } | undefined = input.plaintiffEnterpriseId ? await db('enterprises').where({ id: input.plaintiffEnterpriseId }).first('name') : undefined;
  if (input.plaintiffEnterpriseId && !enterprise) errors.push({ path: 'plaintiffEnterpriseId', key: 'validation.invalidOption' });
  if (input.filedOn > today) errors.push({ path: 'filedOn', key: 'litigation:errors.future', params: { today } });
  if (input.concludedOn && input.concludedOn > today) errors.push({ path: 'concludedOn', key: 'litigation:errors.future', params: { today } });
  if (await caseNoTaken(db, input.court, input.caseNo, selfId)) errors.push(duplicateCaseNo(input).fieldErrors[0]!);
  if (errors.length || !agency) throw new ValidationError(errors);
  return { plaintiffName: input.plaintiff ?? enterprise!.name, agencyName: agency.name, enterpriseName: enterprise?.name ?? null };
}

/** A case as its audit entries show it, in names rather than ids. */
function auditView(c: { caseNo: string; court: string; plaintiff: string; cause: string | null; filedOn: string; outcome: string | null; concludedOn: string | null }, agency: string, plaintiffEnterprise: string | null) {
  return {
    caseNo: c.caseNo,
    court: c.court,
    agency,
    plaintiff: c.plaintiff,
    plaintiffEnterprise,
    cause: c.cause,
    filedOn: c.filedOn,
    outcome: c.outcome,
    concludedOn: c.concludedOn,
  };
}

/** An officer may only name its own agency as the defendant: another answers 403 with a message that says so. */
function assertMayRecordFor(caller: Caller, agencyId: number): void {
  if (!can(caller.user, LITIGATION.record, { agencyId })) throw new HttpError(403, 'forbidden', 'errors.otherAgency');
}

/** An officer records a lawsuit brought against its own agency. */
export async function recordCase(ctx: UseCaseContext, caller: Caller, input: CaseInput): Promise<{ id: number }> {
  assertMayRecordFor(caller, input.agencyId);
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  try {
    return await ctx.db.transaction(async (trx) => {
      const { plaintiffName, agencyName, enterpriseName } = await checkCase(trx, input, null, today);
      const id = await insertCase(trx, input, plaintiffName, caller.actor.id, at);
      const after = auditView({ ...input, plaintiff: plaintiffName, cause: input.cause ?? null, outcome: input.outcome ?? null, concludedOn: input.concludedOn ?? null }, agencyName, enterpriseName);
      await recordAudit(trx, caller.actor, { action: 'litigation.case_recorded', entityType: 'litigation_case', entityId: id, after });
      return { id };
    });
  } catch (err) {
    // Two officers saving the same number at once: the second meets the unique index.
    if (isUniqueViolation(err)) throw duplicateCaseNo(input);
    throw err;
  }
}

async function namesOf(db: Knex, row: CaseRow): Promise<{ agency: string; enterprise: string | null }> {
  const agency: { name: string } = await db('agencies').where({ id: row.agency_id }).first('name');
  const enterprise: { name: string } | undefined = row.plaintiff_enterprise_id ? await db('enterprises').where({ id: row.plaintiff_enterprise_id }).first('name') : undefined;
  return { agency: agency.name, enterprise: enterprise?.name ?? null };
}

/** The defendant agency's officers correct a case or record its outcome; the court and number stay unique. */
export async function updateCase(ctx: UseCaseContext, caller: Caller, id: number, input: CaseInput): Promise<void> {
  const today = ctx.clock.today();
  const at = ctx.clock.now().toISOString();
  try {
    await ctx.db.transaction(async (trx) => {
      authorize(caller.user, LITIGATION.edit, await caseScope(trx, id), LITIGATION.read);
      assertMayRecordFor(caller, input.agencyId);
      const row = (await caseRow(trx, id))!;
      const { plaintiffName, agencyName, enterpriseName } = await checkCase(trx, input, id, today);
      // Hearings already recorded must stay after the filing date.
      const earliest: { first?: string | null } | undefined = await trx('litigation_hearings').where({ case_id: id }).min({ first: 'hearing_on' }).first();
      if (earliest?.first && earliest.first < input.filedOn) throw fieldError('filedOn', 'litigation:errors.filedAfterHearing', { date: earliest.first });
      const names = await namesOf(trx, row);
      const before = auditView({ caseNo: row.case_no, court: row.court, plaintiff: row.plaintiff, cause: row.cause, filedOn: row.filed_on, outcome: row.outcome, concludedOn: row.concluded_on }, names.agency, names.enterprise);
      await rewriteCase(trx, id, input, plaintiffName, at);
      const after = auditView({ ...input, plaintiff: plaintiffName, cause: input.cause ?? null, outcome: input.outcome ?? null, concludedOn: input.concludedOn ?? null }, agencyName, enterpriseName);
      await recordAudit(trx, caller.actor, { action: 'litigation.case_updated', entityType: 'litigation_case', entityId: id, before, after });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateCaseNo(input);
    throw err;
  }
}
