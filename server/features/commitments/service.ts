import type { CommitmentFacts } from './queries.ts';
import type { Knex } from 'knex';
import { isUniqueViolation } from '../../../db/dialect.ts';
import { assertAllowed, assertCanEdit, assertCanRead, assertMayActForAgency, canRecordBreach, canRespondAsCounterparty, canVerify, type ScopedRecord } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import { isValidDate } from '../../domain/dates.ts';
import { systemClock } from '../../domain/clock.ts';
import { formatYuan } from '../../domain/money.ts';
import { ValidationError, conflict, fieldError, notFound, type FieldError } from '../../http/errors.ts';
import { recordAudit, type AuditActor } from '../../audit/chain.ts';
import { attachmentsOf, type Attachment } from '../../evidence/index.ts';
import { BREACH_EVIDENCE, FULFILMENT_EVIDENCE, WAIVER_EVIDENCE } from './evidence-owners.ts';
import {
  commitmentStatus,
  fulfilmentCounts,
  isMilestoneOpen,
  isMilestoneOverdue,
  milestoneAmountsExcess,
  milestoneState,
  overFulfilment,
  overdueAfterHandover,
  type DisputeStatus,
  type EnterpriseResponse,
  type MilestoneStatus,
  type WaiverDecision,
} from './rules.ts';
import type { CommitmentInput, CommitmentKind } from './schema.ts';

export interface FulfilmentDetail {
  id: number;
  fulfilledOn: string;
  note: string;
  amountFen: number | null;
  completes: boolean;
  enterpriseResponse: EnterpriseResponse | null;
  enterpriseComment: string | null;
  disputeStatus: DisputeStatus | null;
  disputeDecisionNote: string | null;
  counts: boolean;
  evidence: Attachment[];
}

export interface WaiverDetail {
  id: number;
  reason: string;
  decision: WaiverDecision;
  decisionNote: string | null;
  requestedAt: string;
  decidedAt: string | null;
  evidence: Attachment[];
}

export interface MilestoneDetail {
  id: number;
  seq: number;
  description: string;
  dueOn: string;
  amountFen: number | null;
  status: MilestoneStatus;
  overdue: boolean;
  overdueAfterHandover: boolean;
  completedOn: string | null;
  /** What the counted fulfilments paid, in fen. */
  fulfilledFen: number;
  breachFindings: string | null;
  breachedOn: string | null;
  fulfilments: FulfilmentDetail[];
  waivers: WaiverDetail[];
  breachEvidence: Attachment[];
}

export interface HandoverDetail {
  id: number;
  fromOfficial: string;
  toOfficial: string;
  handedOverOn: string;
  note: string | null;
}

export interface CommitmentDetail extends CommitmentFacts {
  basis: string | null;
  terminationReason: string | null;
  milestones: MilestoneDetail[];
  handovers: HandoverDetail[];
}

interface CommitmentRow {
  id: number;
  kind: CommitmentKind;
  title: string;
  reference_no: string;
  agency_id: number;
  enterprise_id: number | null;
  basis: string | null;
  signed_on: string;
  amount_fen: number;
  responsible_official: string;
  is_public: boolean | number;
  terminated_on: string | null;
  termination_reason: string | null;
}

interface MilestoneRow {
  id: number;
  commitment_id: number;
  seq: number;
  description: string;
  due_on: string;
  amount_fen: number | null;
  status: MilestoneStatus;
  completed_on: string | null;
  breach_findings: string | null;
  breached_on: string | null;
}

interface FulfilmentRow {
  id: number;
  milestone_id: number;
  fulfilled_on: string;
  note: string;
  amount_fen: number | null;
  completes: boolean | number;
  enterprise_response: EnterpriseResponse | null;
  enterprise_comment: string | null;
  dispute_status: DisputeStatus | null;
  dispute_decision_note: string | null;
}

interface WaiverRow {
  id: number;
  milestone_id: number;
  reason: string;
  decision: WaiverDecision;
  decision_note: string | null;
  requested_at: string;
  decided_at: string | null;
}

const now = () => new Date().toISOString();
const toFen = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const scopeOf = (row: CommitmentRow): ScopedRecord => ({ agencyId: row.agency_id, enterpriseId: row.enterprise_id });

/** Free text the service requires (a reason, a note, findings): trimmed, not empty, not too long. */
function requiredText(path: string, value: string | null | undefined, max = 2000): string {
  const text = (value ?? '').trim();
  if (!text) throw fieldError(path, 'validation.required');
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text;
}

function optionalText(path: string, value: string | null | undefined, max = 2000): string | null {
  const text = (value ?? '').trim();
  if (text.length > max) throw fieldError(path, 'validation.tooLong', { max });
  return text || null;
}

/** A date of something that has happened: a real date, not in the future, not before `notBefore`. */
function pastDate(path: string, date: string, today: string, notBefore?: { date: string; key: string }): string {
  if (!isValidDate(date)) throw fieldError(path, 'validation.date');
  if (date > today) throw fieldError(path, 'commitments:errors.futureDate', { today });
  if (notBefore && date < notBefore.date) throw fieldError(path, notBefore.key, { date: notBefore.date });
  return date;
}

async function findCommitmentRow(db: Knex, id: number): Promise<CommitmentRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return db('commitments').where({ id }).first();
}

/** The commitment an officer of its agency may change: 404 outside the scope, 403 for other roles. */
async function editableCommitment(db: Knex, user: SessionUser, id: number): Promise<CommitmentRow> {
  const row = await findCommitmentRow(db, id);
  assertCanEdit(user, row && scopeOf(row));
  return row!;
}

function assertNotTerminated(row: CommitmentRow): void {
  if (row.terminated_on) throw conflict('commitments:errors.terminated', { date: row.terminated_on });
}

async function milestoneOf(db: Knex, commitmentId: number, milestoneId: number): Promise<MilestoneRow> {
  const m: MilestoneRow | undefined = Number.isSafeInteger(milestoneId) ? await db('milestones').where({ id: milestoneId, commitment_id: commitmentId }).first() : undefined;
  if (!m) throw notFound();
  return m;
}

function assertMilestoneOpen(m: MilestoneRow): void {
  if (!isMilestoneOpen(m.status)) throw conflict('commitments:errors.milestoneNotOpen', { description: m.description, status: m.status });
}

/**
 * Recomputes a milestone's stored status from its facts (waivers, breach, fulfilments and their
 * disputes); called inside the transaction of every change to them.
 */
async function refreshMilestone(trx: Knex, milestoneId: number): Promise<{ status: MilestoneStatus; completedOn: string | null }> {
  const m: MilestoneRow = await trx('milestones').where({ id: milestoneId }).first();
  const waiverDecisions: WaiverDecision[] = await trx('waivers').where({ milestone_id: milestoneId }).pluck('decision');
  const fulfilments: FulfilmentRow[] = await trx('fulfilments').where({ milestone_id: milestoneId });
  const state = milestoneState({
    breached: m.breached_on !== null,
    waiverDecisions,
    fulfilments: fulfilments.map((f) => ({ fulfilledOn: f.fulfilled_on, completes: Boolean(f.completes), enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status })),
  });
  if (state.status !== m.status || state.completedOn !== m.completed_on) {
    await trx('milestones').where({ id: milestoneId }).update({ status: state.status, completed_on: state.completedOn, updated_at: now() });
  }
  return state;
}

/** Business rules on a commitment's input beyond its schema (the import checks rows with it too). */
export function commitmentInputErrors(input: CommitmentInput): FieldError[] {
  const excess = milestoneAmountsExcess(input.amountFen, input.milestones.map((m) => m.amountFen));
  return excess === null ? [] : [{ path: 'milestones', key: 'commitments:errors.milestonesExceedTotal', params: { excess: formatYuan(excess), total: formatYuan(input.amountFen) } }];
}

async function referenceErrors(db: Knex, input: CommitmentInput, selfId: number | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!(await db('agencies').where({ id: input.agencyId }).first('id'))) errors.push({ path: 'agencyId', key: 'validation.invalidOption' });
  if (input.enterpriseId && !(await db('enterprises').where({ id: input.enterpriseId }).first('id'))) errors.push({ path: 'enterpriseId', key: 'validation.invalidOption' });
  const duplicate = await db('commitments')
    .where({ agency_id: input.agencyId, reference_no: input.referenceNo })
    .modify((qb) => {
      if (selfId !== null) qb.whereNot('id', selfId);
    })
    .first('id');
  if (duplicate) errors.push({ path: 'referenceNo', key: 'commitments:errors.duplicateReference', params: { referenceNo: input.referenceNo } });
  return errors;
}

function commitmentFields(input: CommitmentInput) {
  return {
    kind: input.kind,
    title: input.title,
    reference_no: input.referenceNo,
    agency_id: input.agencyId,
    enterprise_id: input.enterpriseId ?? null,
    basis: input.basis ?? null,
    signed_on: input.signedOn,
    amount_fen: input.amountFen,
    responsible_official: input.responsibleOfficial,
    is_public: input.isPublic,
  };
}

/** What the audit log keeps of a commitment and its milestones (camelCase, as the input). */
export function auditView(input: CommitmentInput) {
  return {
    kind: input.kind,
    title: input.title,
    referenceNo: input.referenceNo,
    agencyId: input.agencyId,
    enterpriseId: input.enterpriseId ?? null,
    basis: input.basis ?? null,
    signedOn: input.signedOn,
    amountFen: input.amountFen,
    responsibleOfficial: input.responsibleOfficial,
    isPublic: input.isPublic,
    milestones: input.milestones.map((m) => ({ description: m.description, dueOn: m.dueOn, amountFen: m.amountFen ?? null })),
  };
}

/** Inserts a commitment and its milestones without authorization (callers decide: the create use case, the import). */
export async function insertCommitment(trx: Knex, actor: AuditActor, input: CommitmentInput): Promise<{ commitmentId: number; milestoneIds: number[] }> {
  const errors = [...commitmentInputErrors(input), ...(await referenceErrors(trx, input, null))];
  if (errors.length) throw new ValidationError(errors);
  return trx.transaction(async (inner) => {
    const at = now();
    const [{ id: commitmentId }] = await inner('commitments').insert({ ...commitmentFields(input), created_by: actor.id, created_at: at, updated_at: at }).returning('id');
    const inserted: Array<{ id: number }> = await inner('milestones')
      .insert(input.milestones.map((m, i) => ({ commitment_id: commitmentId, seq: i + 1, description: m.description, due_on: m.dueOn, amount_fen: m.amountFen ?? null, status: 'pending', created_at: at, updated_at: at })))
      .returning('id');
    await recordAudit(inner, actor, { action: 'commitment.created', entityType: 'commitment', entityId: commitmentId, after: auditView(input) });
    return { commitmentId, milestoneIds: inserted.map((r) => r.id) };
  });
}

function duplicateReferenceOr(err: unknown, input: CommitmentInput): never {
  if (isUniqueViolation(err)) throw fieldError('referenceNo', 'commitments:errors.duplicateReference', { referenceNo: input.referenceNo });
  throw err;
}

/** An officer registers a commitment of its own agency (another agency answers 403). */
export async function createCommitment(db: Knex, actor: AuditActor, user: SessionUser, input: CommitmentInput): Promise<number> {
  assertMayActForAgency(user, input.agencyId);
  try {
    const { commitmentId } = await insertCommitment(db, actor, input);
    return commitmentId;
  } catch (err) {
    duplicateReferenceOr(err, input);
  }
}

function inputOf(row: CommitmentRow, milestones: MilestoneRow[]): CommitmentInput {
  return {
    kind: row.kind,
    title: row.title,
    referenceNo: row.reference_no,
    agencyId: row.agency_id,
    enterpriseId: row.enterprise_id,
    basis: row.basis,
    signedOn: row.signed_on,
    amountFen: Number(row.amount_fen),
    responsibleOfficial: row.responsible_official,
    isPublic: Boolean(row.is_public),
    milestones: milestones.map((m) => ({ description: m.description, dueOn: m.due_on, amountFen: toFen(m.amount_fen) })),
  };
}

/**
 * Edits a commitment. Input milestones that carry the id of one of its milestones update that one
 * (and take their new position); the others are new. A milestone left out is removed, unless it has
 * fulfilments, waivers or a breach; no amount may be cut below what was already fulfilled on it.
 * Matching by id, not position, keeps a milestone's history with the obligation it was recorded on.
 */
export async function updateCommitment(db: Knex, actor: AuditActor, user: SessionUser, id: number, input: CommitmentInput): Promise<void> {
  const row = await editableCommitment(db, user, id);
  assertMayActForAgency(user, input.agencyId);
  assertNotTerminated(row);
  try {
    await db.transaction(async (trx) => {
      const existing: MilestoneRow[] = await trx('milestones').where({ commitment_id: id }).orderBy('seq');
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
        const history = await milestoneHistory(trx, current);
        const newAmount = m.amountFen ?? null;
        if (newAmount !== null && history.fulfilledFen > newAmount) {
          errors.push({ path: `milestones.${i}.amountFen`, key: 'commitments:errors.amountBelowFulfilled', params: { fulfilled: formatYuan(history.fulfilledFen) } });
        }
      }
      const removed = existing.filter((m) => !kept.has(m.id));
      for (const m of removed) {
        if ((await milestoneHistory(trx, m)).any) errors.push({ path: 'milestones', key: 'commitments:errors.milestoneHasHistory', params: { description: m.description } });
      }
      if (errors.length) throw new ValidationError(errors);

      const at = now();
      await trx('commitments').where({ id }).update({ ...commitmentFields(input), updated_at: at });
      if (removed.length) await trx('milestones').whereIn('id', removed.map((m) => m.id)).delete();
      for (const [i, m] of input.milestones.entries()) {
        const fields = { seq: i + 1, description: m.description, due_on: m.dueOn, amount_fen: m.amountFen ?? null, updated_at: at };
        if (m.id) await trx('milestones').where({ id: m.id }).update(fields);
        else await trx('milestones').insert({ ...fields, commitment_id: id, status: 'pending', created_at: at });
      }
      await recordAudit(trx, actor, { action: 'commitment.updated', entityType: 'commitment', entityId: id, before: auditView(inputOf(row, existing)), after: auditView(input) });
    });
  } catch (err) {
    duplicateReferenceOr(err, input);
  }
}

/** Whether anything happened on a milestone, and the fulfilled amount the auditors have not rejected. */
async function milestoneHistory(db: Knex, m: MilestoneRow): Promise<{ any: boolean; fulfilledFen: number }> {
  const fulfilments: FulfilmentRow[] = await db('fulfilments').where({ milestone_id: m.id });
  const waiver = await db('waivers').where({ milestone_id: m.id }).first('id');
  const fulfilledFen = fulfilments.filter((f) => f.dispute_status !== 'rejected').reduce((sum, f) => sum + (toFen(f.amount_fen) ?? 0), 0);
  return { any: fulfilments.length > 0 || Boolean(waiver) || m.breached_on !== null, fulfilledFen };
}

export interface FulfilmentInput {
  fulfilledOn: string;
  note: string;
  amountFen?: number | null;
  complete: boolean;
}

/**
 * An officer of the agency records what was done on a milestone. The amounts on a milestone may
 * never exceed its amount: the error says by how much and what remains.
 */
export async function recordFulfilment(db: Knex, actor: AuditActor, user: SessionUser, commitmentId: number, milestoneId: number, input: FulfilmentInput): Promise<{ fulfilmentId: number }> {
  const today = systemClock.today();
  const row = await editableCommitment(db, user, commitmentId);
  assertNotTerminated(row);
  const note = requiredText('note', input.note);
  const amountFen = input.amountFen ?? null;
  if (amountFen !== null && (!Number.isSafeInteger(amountFen) || amountFen < 0)) throw fieldError('amountFen', 'validation.invalid');
  pastDate('fulfilledOn', input.fulfilledOn, today, { date: row.signed_on, key: 'commitments:errors.beforeSigned' });
  return db.transaction(async (trx) => {
    // Touching the milestone first makes concurrent fulfilments of it queue (a row lock on
    // PostgreSQL; SQLite has a single writer), so the amount check below cannot be raced.
    await trx('milestones').where({ id: milestoneId, commitment_id: commitmentId }).update({ updated_at: now() });
    const m = await milestoneOf(trx, commitmentId, milestoneId);
    assertMilestoneOpen(m);
    const { fulfilledFen } = await milestoneHistory(trx, m);
    const over = overFulfilment(toFen(m.amount_fen), fulfilledFen, amountFen);
    if (over) throw fieldError('amountFen', 'commitments:errors.overFulfilled', { excess: formatYuan(over.excessFen), remaining: formatYuan(over.remainingFen) });
    const [{ id: fulfilmentId }] = await trx('fulfilments')
      .insert({ milestone_id: milestoneId, fulfilled_on: input.fulfilledOn, note, amount_fen: amountFen, completes: input.complete, recorded_by: actor.id, created_at: now() })
      .returning('id');
    const state = await refreshMilestone(trx, milestoneId);
    await recordAudit(trx, actor, {
      action: 'commitment.fulfilment_recorded',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { milestoneId, status: m.status },
      after: { milestoneId, fulfilmentId, fulfilledOn: input.fulfilledOn, note, amountFen, completes: input.complete, status: state.status },
    });
    return { fulfilmentId };
  });
}

/** An officer asks to waive a milestone; it stays open (and can fall overdue) until an auditor confirms. */
export async function requestWaiver(db: Knex, actor: AuditActor, user: SessionUser, commitmentId: number, milestoneId: number, reason: string): Promise<{ waiverId: number }> {
  const row = await editableCommitment(db, user, commitmentId);
  assertNotTerminated(row);
  const text = requiredText('reason', reason);
  return db.transaction(async (trx) => {
    const m = await milestoneOf(trx, commitmentId, milestoneId);
    assertMilestoneOpen(m);
    if (await trx('waivers').where({ milestone_id: milestoneId, decision: 'pending' }).first('id')) throw conflict('commitments:errors.waiverPending');
    const [{ id: waiverId }] = await trx('waivers').insert({ milestone_id: milestoneId, reason: text, requested_by: actor.id, requested_at: now(), decision: 'pending' }).returning('id');
    await recordAudit(trx, actor, { action: 'commitment.waiver_requested', entityType: 'commitment', entityId: commitmentId, after: { milestoneId, waiverId, reason: text } });
    return { waiverId };
  });
}

/** An auditor confirms (the milestone is waived) or refuses (it stays owed) a pending waiver. */
export async function decideWaiver(db: Knex, actor: AuditActor, user: SessionUser, waiverId: number, decision: 'confirmed' | 'refused', note?: string): Promise<void> {
  assertAllowed(canVerify(user));
  if (decision !== 'confirmed' && decision !== 'refused') throw fieldError('decision', 'validation.invalidOption');
  const decisionNote = optionalText('note', note);
  await db.transaction(async (trx) => {
    const waiver = Number.isSafeInteger(waiverId) ? await trx('waivers as w').join('milestones as m', 'm.id', 'w.milestone_id').where('w.id', waiverId).first('w.id', 'w.decision', 'w.milestone_id', 'm.commitment_id', 'm.status') : undefined;
    if (!waiver) throw notFound();
    if (waiver.decision !== 'pending') throw conflict('commitments:errors.waiverDecided');
    await trx('waivers').where({ id: waiverId }).update({ decision, decision_note: decisionNote, decided_by: actor.id, decided_at: now() });
    const state = await refreshMilestone(trx, waiver.milestone_id);
    await recordAudit(trx, actor, {
      action: decision === 'confirmed' ? 'commitment.waiver_confirmed' : 'commitment.waiver_refused',
      entityType: 'commitment',
      entityId: waiver.commitment_id,
      before: { milestoneId: waiver.milestone_id, waiverId, status: waiver.status },
      after: { milestoneId: waiver.milestone_id, waiverId, decision, note: decisionNote, status: state.status },
    });
  });
}

/**
 * An officer of the agency or an auditor records a breach with findings, on one open milestone or,
 * without milestoneId, on every open milestone of the commitment.
 * Evidence for a breach is attached to each milestone found in breach (BREACH_EVIDENCE).
 */
export async function recordBreach(
  db: Knex,
  actor: AuditActor,
  user: SessionUser,
  commitmentId: number,
  input: { findings: string; milestoneId?: number | null; breachedOn?: string },
): Promise<{ milestoneIds: number[] }> {
  const today = systemClock.today();
  const row = await findCommitmentRow(db, commitmentId);
  assertCanRead(user, row && scopeOf(row));
  assertAllowed(canRecordBreach(user, scopeOf(row!)));
  assertNotTerminated(row!);
  const findings = requiredText('findings', input.findings);
  const breachedOn = pastDate('breachedOn', input.breachedOn ?? today, today, { date: row!.signed_on, key: 'commitments:errors.beforeSigned' });
  return db.transaction(async (trx) => {
    let targets: MilestoneRow[];
    if (input.milestoneId) {
      const m = await milestoneOf(trx, commitmentId, input.milestoneId);
      assertMilestoneOpen(m);
      targets = [m];
    } else {
      targets = await trx('milestones').where({ commitment_id: commitmentId }).whereIn('status', ['pending', 'partial']).orderBy('seq');
      if (!targets.length) throw conflict('commitments:errors.noOpenMilestones');
    }
    const milestoneIds = targets.map((m) => m.id);
    await trx('milestones').whereIn('id', milestoneIds).update({ breach_findings: findings, breached_on: breachedOn, breached_by: actor.id, updated_at: now() });
    for (const id of milestoneIds) await refreshMilestone(trx, id);
    await recordAudit(trx, actor, {
      action: 'commitment.breach_recorded',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { milestones: targets.map((m) => ({ milestoneId: m.id, status: m.status })) },
      after: { milestoneIds, findings, breachedOn },
    });
    return { milestoneIds };
  });
}

/** An officer of the agency ends a commitment with a reason; it stays visible as terminated. */
export async function terminateCommitment(db: Knex, actor: AuditActor, user: SessionUser, commitmentId: number, input: { reason: string; terminatedOn?: string }): Promise<void> {
  const today = systemClock.today();
  const row = await editableCommitment(db, user, commitmentId);
  assertNotTerminated(row);
  const reason = requiredText('reason', input.reason);
  const terminatedOn = pastDate('terminatedOn', input.terminatedOn ?? today, today, { date: row.signed_on, key: 'commitments:errors.beforeSigned' });
  await db.transaction(async (trx) => {
    await trx('commitments').where({ id: commitmentId }).update({ terminated_on: terminatedOn, termination_reason: reason, updated_at: now() });
    await recordAudit(trx, actor, { action: 'commitment.terminated', entityType: 'commitment', entityId: commitmentId, after: { terminatedOn, reason } });
  });
}

/**
 * A new official takes over responsibility; the commitment stays with the agency and nothing owed
 * changes. Milestones that fall overdue from then on are marked overdueAfterHandover.
 */
export async function recordHandover(db: Knex, actor: AuditActor, user: SessionUser, commitmentId: number, input: { toOfficial: string; handedOverOn: string; note?: string }): Promise<{ handoverId: number }> {
  const today = systemClock.today();
  const row = await editableCommitment(db, user, commitmentId);
  assertNotTerminated(row);
  const toOfficial = requiredText('toOfficial', input.toOfficial, 100);
  if (toOfficial === row.responsible_official) throw fieldError('toOfficial', 'commitments:errors.sameOfficial', { name: toOfficial });
  const note = optionalText('note', input.note);
  return db.transaction(async (trx) => {
    const latest: string | null = (await trx('handovers').where({ commitment_id: commitmentId }).max({ d: 'handed_over_on' }).first())?.d ?? null;
    pastDate('handedOverOn', input.handedOverOn, today, latest ? { date: latest, key: 'commitments:errors.beforeLastHandover' } : { date: row.signed_on, key: 'commitments:errors.beforeSigned' });
    const [{ id: handoverId }] = await trx('handovers')
      .insert({ commitment_id: commitmentId, from_official: row.responsible_official, to_official: toOfficial, handed_over_on: input.handedOverOn, note, recorded_by: actor.id, created_at: now() })
      .returning('id');
    await trx('commitments').where({ id: commitmentId }).update({ responsible_official: toOfficial, updated_at: now() });
    await recordAudit(trx, actor, {
      action: 'commitment.handed_over',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { responsibleOfficial: row.responsible_official },
      after: { responsibleOfficial: toOfficial, handedOverOn: input.handedOverOn, note, handoverId },
    });
    return { handoverId };
  });
}

async function fulfilmentOf(db: Knex, commitmentId: number | null, fulfilmentId: number): Promise<FulfilmentRow & { commitment_id: number; milestone_status: MilestoneStatus }> {
  const f = Number.isSafeInteger(fulfilmentId)
    ? await db('fulfilments as f')
        .join('milestones as m', 'm.id', 'f.milestone_id')
        .where('f.id', fulfilmentId)
        .modify((qb) => {
          if (commitmentId !== null) qb.where('m.commitment_id', commitmentId);
        })
        .first('f.*', 'm.commitment_id', 'm.status as milestone_status')
    : undefined;
  if (!f) throw notFound();
  return f;
}

/**
 * The counterparty enterprise confirms a fulfilment or disputes it (partly, not at all: a comment
 * is required); a disputed fulfilment stops counting and goes to the auditors' queue.
 */
export async function respondToFulfilment(
  db: Knex,
  actor: AuditActor,
  user: SessionUser,
  commitmentId: number,
  fulfilmentId: number,
  input: { response: EnterpriseResponse; comment?: string },
): Promise<void> {
  const row = await findCommitmentRow(db, commitmentId);
  assertCanRead(user, row && scopeOf(row));
  assertAllowed(canRespondAsCounterparty(user, scopeOf(row!)));
  if (!['confirmed', 'partly', 'not_at_all'].includes(input.response)) throw fieldError('response', 'validation.invalidOption');
  const disputed = input.response !== 'confirmed';
  const comment = disputed ? requiredText('comment', input.comment) : optionalText('comment', input.comment);
  await db.transaction(async (trx) => {
    const f = await fulfilmentOf(trx, commitmentId, fulfilmentId);
    if (f.enterprise_response) throw conflict('commitments:errors.alreadyResponded');
    await trx('fulfilments').where({ id: fulfilmentId }).update({ enterprise_response: input.response, enterprise_comment: comment, responded_at: now(), dispute_status: disputed ? 'open' : null });
    const state = await refreshMilestone(trx, f.milestone_id);
    await recordAudit(trx, actor, {
      action: disputed ? 'commitment.fulfilment_disputed' : 'commitment.fulfilment_confirmed',
      entityType: 'commitment',
      entityId: commitmentId,
      before: { milestoneId: f.milestone_id, fulfilmentId, status: f.milestone_status },
      after: { milestoneId: f.milestone_id, fulfilmentId, response: input.response, comment, status: state.status },
    });
  });
}

/** An auditor settles a disputed fulfilment: upheld (it counts again) or rejected (it never counts). */
export async function settleDispute(db: Knex, actor: AuditActor, user: SessionUser, fulfilmentId: number, input: { decision: 'upheld' | 'rejected'; note: string }): Promise<void> {
  assertAllowed(canVerify(user));
  if (input.decision !== 'upheld' && input.decision !== 'rejected') throw fieldError('decision', 'validation.invalidOption');
  const note = requiredText('note', input.note);
  await db.transaction(async (trx) => {
    const f = await fulfilmentOf(trx, null, fulfilmentId);
    if (f.dispute_status !== 'open') throw conflict('commitments:errors.noOpenDispute');
    await trx('fulfilments').where({ id: fulfilmentId }).update({ dispute_status: input.decision, dispute_decision_note: note, dispute_decided_by: actor.id, dispute_decided_at: now() });
    const state = await refreshMilestone(trx, f.milestone_id);
    await recordAudit(trx, actor, {
      action: 'commitment.dispute_settled',
      entityType: 'commitment',
      entityId: f.commitment_id,
      before: { milestoneId: f.milestone_id, fulfilmentId, status: f.milestone_status },
      after: { milestoneId: f.milestone_id, fulfilmentId, decision: input.decision, note, status: state.status },
    });
  });
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

async function loadDetail(db: Knex, id: number, today: string): Promise<CommitmentDetail> {
  const row = await db('commitments as c')
    .join('agencies as a', 'a.id', 'c.agency_id')
    .leftJoin('enterprises as e', 'e.id', 'c.enterprise_id')
    .where('c.id', id)
    .first('c.*', 'a.name as agency_name', 'e.name as enterprise_name');
  if (!row) throw notFound();
  const milestones: MilestoneRow[] = await db('milestones').where({ commitment_id: id }).orderBy('seq');
  const milestoneIds = milestones.map((m) => m.id);
  const fulfilments: FulfilmentRow[] = await db('fulfilments').whereIn('milestone_id', milestoneIds).orderBy([{ column: 'fulfilled_on' }, { column: 'id' }]);
  const waivers: WaiverRow[] = await db('waivers').whereIn('milestone_id', milestoneIds).orderBy([{ column: 'requested_at' }, { column: 'id' }]);
  const handovers = await db('handovers').where({ commitment_id: id }).orderBy([{ column: 'handed_over_on' }, { column: 'id' }]);
  const evidence = await attachmentsOf(db, [
    ...fulfilments.map((f) => ({ type: FULFILMENT_EVIDENCE, id: f.id })),
    ...waivers.map((w) => ({ type: WAIVER_EVIDENCE, id: w.id })),
    ...milestoneIds.map((milestoneId) => ({ type: BREACH_EVIDENCE, id: milestoneId })),
  ]);
  const evidenceOf = (type: string, id: number): Attachment[] => evidence.of({ type, id });
  const fulfilmentsByMilestone = groupBy(fulfilments, (f) => f.milestone_id);
  const waiversByMilestone = groupBy(waivers, (w) => w.milestone_id);
  const handoverDates = handovers.map((h: { handed_over_on: string }) => h.handed_over_on);

  const milestoneDetails: MilestoneDetail[] = milestones.map((m) => {
    const fs = (fulfilmentsByMilestone.get(m.id) ?? []).map((f) => ({
      id: f.id,
      fulfilledOn: f.fulfilled_on,
      note: f.note,
      amountFen: toFen(f.amount_fen),
      completes: Boolean(f.completes),
      enterpriseResponse: f.enterprise_response,
      enterpriseComment: f.enterprise_comment,
      disputeStatus: f.dispute_status,
      disputeDecisionNote: f.dispute_decision_note,
      counts: fulfilmentCounts({ enterpriseResponse: f.enterprise_response, disputeStatus: f.dispute_status }),
      evidence: evidenceOf(FULFILMENT_EVIDENCE, f.id),
    }));
    const facts = { status: m.status, dueOn: m.due_on };
    return {
      id: m.id,
      seq: m.seq,
      description: m.description,
      dueOn: m.due_on,
      amountFen: toFen(m.amount_fen),
      status: m.status,
      overdue: isMilestoneOverdue(facts, today),
      overdueAfterHandover: overdueAfterHandover(facts, handoverDates, today),
      completedOn: m.completed_on,
      fulfilledFen: fs.filter((f) => f.counts).reduce((sum, f) => sum + (f.amountFen ?? 0), 0),
      breachFindings: m.breach_findings,
      breachedOn: m.breached_on,
      fulfilments: fs,
      waivers: (waiversByMilestone.get(m.id) ?? []).map((w) => ({
        id: w.id,
        reason: w.reason,
        decision: w.decision,
        decisionNote: w.decision_note,
        requestedAt: new Date(w.requested_at).toISOString(),
        decidedAt: w.decided_at ? new Date(w.decided_at).toISOString() : null,
        evidence: evidenceOf(WAIVER_EVIDENCE, w.id),
      })),
      breachEvidence: evidenceOf(BREACH_EVIDENCE, m.id),
    };
  });

  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    referenceNo: row.reference_no,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name ?? null,
    basis: row.basis,
    signedOn: row.signed_on,
    amountFen: Number(row.amount_fen),
    responsibleOfficial: row.responsible_official,
    isPublic: Boolean(row.is_public),
    terminatedOn: row.terminated_on,
    terminationReason: row.termination_reason,
    status: commitmentStatus({ terminatedOn: row.terminated_on }, milestoneDetails, today),
    milestones: milestoneDetails,
    handovers: handovers.map((h: { id: number; from_official: string; to_official: string; handed_over_on: string; note: string | null }) => ({
      id: h.id,
      fromOfficial: h.from_official,
      toOfficial: h.to_official,
      handedOverOn: h.handed_over_on,
      note: h.note,
    })),
  };
}

/** One commitment with everything its page shows; 404 outside the user's scope. */
export async function getCommitmentForUser(db: Knex, user: SessionUser, id: number, today: string): Promise<CommitmentDetail> {
  const row = await findCommitmentRow(db, id);
  assertCanRead(user, row && scopeOf(row));
  return loadDetail(db, id, today);
}
