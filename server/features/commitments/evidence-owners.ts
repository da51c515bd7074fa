import type { Knex } from 'knex';
import { can, type ScopedRecord } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { EvidenceOwnerType } from '../../context.ts';
import { COMMITMENTS } from './policy.ts';

/**
 * What commitments attach evidence to: a fulfilment (the agency's proof), the enterprise's dispute of a
 * fulfilment (its counter-proof, owner id = the fulfilment's), a waiver request, or a milestone found in breach.
 */
export const FULFILMENT_EVIDENCE = 'commitments.fulfilment';
export const DISPUTE_EVIDENCE = 'commitments.dispute';
export const WAIVER_EVIDENCE = 'commitments.waiver';
export const BREACH_EVIDENCE = 'commitments.breach';

/** The commitment's agency and enterprise, reached from the milestone the query has joined as `m`. */
async function commitmentScope(query: Knex.QueryBuilder): Promise<ScopedRecord | null> {
  const row = await query.join('commitments as c', 'c.id', 'm.commitment_id').first('c.agency_id', 'c.enterprise_id');
  return row ? { agencyId: Number(row.agency_id), enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id) } : null;
}

/** Evidence is read by whoever may read the commitment it proves something about. */
const mayReadCommitment = (user: SessionUser, scope: ScopedRecord) => can(user, COMMITMENTS.read, scope);

export const commitmentEvidenceOwners: EvidenceOwnerType[] = [
  {
    name: FULFILMENT_EVIDENCE,
    scopeOf: (db, fulfilmentId) => commitmentScope(db('fulfilments as f').join('milestones as m', 'm.id', 'f.milestone_id').where('f.id', fulfilmentId)),
    canRead: mayReadCommitment,
  },
  {
    name: DISPUTE_EVIDENCE,
    scopeOf: (db, fulfilmentId) => commitmentScope(db('fulfilments as f').join('milestones as m', 'm.id', 'f.milestone_id').where('f.id', fulfilmentId)),
    canRead: mayReadCommitment,
  },
  {
    name: WAIVER_EVIDENCE,
    scopeOf: (db, waiverId) => commitmentScope(db('waivers as w').join('milestones as m', 'm.id', 'w.milestone_id').where('w.id', waiverId)),
    canRead: mayReadCommitment,
  },
  {
    name: BREACH_EVIDENCE,
    scopeOf: (db, milestoneId) => commitmentScope(db('milestones as m').where('m.id', milestoneId)),
    canRead: mayReadCommitment,
  },
];
