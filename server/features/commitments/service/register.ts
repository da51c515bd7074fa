import { isUniqueViolation } from '../../../../db/dialect.ts';
import { recordAudit, type AuditActor } from '../../../audit/chain.ts';
import { authorize, can } from '../../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../../context.ts';
import { formatYuan } from '../../../domain/money.ts';
import { HttpError, ValidationError, fieldError, type FieldError } from '../../../http/errors.ts';
import type { Knex } from 'knex';
import { COMMITMENTS } from '../policy.ts';
import {
  auditView,
  commitmentInputOf,
  commitmentRow,
  commitmentScope,
  enterpriseNames,
  exists,
  fenOrNull,
  insertCommitmentRows,
  milestoneRecords,
  milestonesOf,
  referenceTaken,
  rewriteCommitment,
} from '../repository.ts';
import { milestoneHistory } from '../rules.ts';
import type { CommitmentInput } from '../schema.ts';
import { assertNotTerminated, commitmentInputErrors } from './guards.ts';

/** Registering and editing commitments. */

async function referenceErrors(db: Knex, input: CommitmentInput, selfId: number | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!(await exists(db, 'agencies', input.agencyId))) errors.push({ path: 'agencyId', key: 'validation.invalidOption' });
  if (input.enterpriseId && !(await exists(db, 'enterprises', input.enterpriseId))) errors.push({ path: 'enterpriseId', key: 'validation.invalidOption' });
  if (await referenceTaken(db, input.agencyId, input.referenceNo, selfId)) errors.push({ path: 'referenceNo', key: 'commitments:errors.duplicateReference', params: { referenceNo: input.referenceNo } });
  return errors;
}

function duplicateReferenceOr(err: unknown, input: CommitmentInput): never {
  if (isUniqueViolation(err)) throw fieldError('referenceNo', 'commitments:errors.duplicateReference', { referenceNo: input.referenceNo });
  throw err;
}

/** An officer may only name its own agency: another answers 403 with a message that says so. */
function assertMayRegisterFor(caller: Caller, agencyId: number): void {
  if (!can(caller.user, COMMITMENTS.create, { agencyId })) throw new HttpError(403, 'forbidden', 'errors.otherAgency');
}

/** Inserts a commitment and its milestones without authorization (callers decide: the create use case, seeds, tests). */
export async function insertCommitment(ctx: UseCaseContext, actor: AuditActor, input: CommitmentInput): Promise<{ commitmentId: number; milestoneIds: number[] }> {
  return ctx.db.transaction(async (trx) => {
    const errors = [...commitmentInputErrors(input), ...(await referenceErrors(trx, input, null))];
    if (errors.length) throw new ValidationError(errors);
    const ids = await insertCommitmentRows(trx, input, actor.id, ctx.clock.now().toISOString());
    const names = await enterpriseNames(trx, [input.enterpriseId]);
    await recordAudit(trx, actor, { action: 'commitment.created', entityType: 'commitment', entityId: ids.commitmentId, after: auditView(input, names.get(input.enterpriseId ?? 0) ?? null) });
    return ids;
  });
}

/** An officer registers a commitment of its own agency. */
export async function createCommitment(ctx: UseCaseContext, caller: Caller, input: CommitmentInput): Promise<number> {
  assertMayRegisterFor(caller, input.agencyId);
  try {
    return (await insertCommitment(ctx, caller.actor, input)).commitmentId;
  } catch (err) {
    duplicateReferenceOr(err, input);
  }
}

/**
 * Edits a commitment. Input milestones that carry the id of one of its milestones update that one
 * (and take their new position); the others are new. A milestone left out is removed, unless it has
 * fulfilments, waivers or a breach; no amount may be cut below what was already fulfilled on it.
 * Matching by id, not position, keeps a milestone's history with the obligation it was recorded on.
 */
export async function updateCommitment(ctx: UseCaseContext, caller: Caller, id: number, input: CommitmentInput): Promise<void> {
  try {
    await ctx.db.transaction(async (trx) => {
      const scope = await commitmentScope(trx, id);
      authorize(caller.user, COMMITMENTS.edit, scope, COMMITMENTS.read);
      assertMayRegisterFor(caller, input.agencyId);
      assertNotTerminated(scope);
      const [row, existing] = await Promise.all([commitmentRow(trx, id), milestonesOf(trx, id)]);
      const records = await milestoneRecords(trx, existing.map((m) => m.id));
      const historyOf = (m: (typeof existing)[number]) =>
        milestoneHistory(
          { breached: m.breached_on !== null },
          records.fulfilments.filter((f) => f.milestone_id === m.id).map((f) => ({ amountFen: fenOrNull(f.amount_fen), disputeStatus: f.dispute_status })),
          records.waivers.filter((w) => w.milestone_id === m.id).length,
        );
      const byId = new Map(existing.map((m) => [m.id, m]));
      const errors = [...commitmentInputErrors(input), ...(await referenceErrors(trx, input, id))];
      const kept = new Set<number>();
      for (const [i, m] of input.milestones.entries()) {
        if (!m.id) continue;
        const current = byId.get(m.id);
        if (!current || kept.has(m.id)) {
          errors.push({ path: `milestones.${i}`, key: 'commitments:errors.unknownMilestone' });
          continue;
        }
        kept.add(m.id);
        const { fulfilledFen } = historyOf(current);
        if (m.amountFen !== null && m.amountFen !== undefined && fulfilledFen > m.amountFen) {
          errors.push({ path: `milestones.${i}.amountFen`, key: 'commitments:errors.amountBelowFulfilled', params: { fulfilled: formatYuan(fulfilledFen) } });
        }
      }
      const removed = existing.filter((m) => !kept.has(m.id));
      for (const m of removed) {
        if (historyOf(m).any) errors.push({ path: 'milestones', key: 'commitments:errors.milestoneHasHistory', params: { description: m.description } });
      }
      if (errors.length) throw new ValidationError(errors);

      await rewriteCommitment(trx, id, input, removed.map((m) => m.id), ctx.clock.now().toISOString());
      const before = commitmentInputOf(row!, existing);
      const names = await enterpriseNames(trx, [before.enterpriseId, input.enterpriseId]);
      const nameOf = (enterpriseId: number | null | undefined) => names.get(enterpriseId ?? 0) ?? null;
      await recordAudit(trx, caller.actor, { action: 'commitment.updated', entityType: 'commitment', entityId: id, before: auditView(before, nameOf(before.enterpriseId)), after: auditView(input, nameOf(input.enterpriseId)) });
    });
  } catch (err) {
    duplicateReferenceOr(err, input);
  }
}
