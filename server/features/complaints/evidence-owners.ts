import type { Knex } from 'knex';
import { can } from '../../auth/policy.ts';
import type { EvidenceOwnerType } from '../../context.ts';
import { COMPLAINTS } from './policy.ts';
import { scopeOf } from './repository.ts';

/**
 * What complaint cases attach evidence to: the case itself (what the complainant filed with it) and
 * a step of its handling (the agency's or the auditors' files with a step, owner id = the step's).
 */
export const CASE_EVIDENCE = 'complaints.case';
export const STEP_EVIDENCE = 'complaints.step';

async function caseScope(query: Knex.QueryBuilder) {
  const row = await query.first('c.id', 'c.agency_id', 'c.enterprise_id', 'c.forwarded_to_agency_id');
  return row ? scopeOf(row) : null;
}

/**
 * Files are read by whoever may read the case (COMPLAINTS.read): the scope handed over is the case's
 * whole ComplaintScope, so that the officers of a superior the case was forwarded to read them too.
 */
const mayReadCase: EvidenceOwnerType['canRead'] = (user, scope) => can(user, COMPLAINTS.read, scope);

export const complaintEvidenceOwners: EvidenceOwnerType[] = [
  { name: CASE_EVIDENCE, scopeOf: (db, caseId) => caseScope(db('complaints as c').where('c.id', caseId)), canRead: mayReadCase },
  { name: STEP_EVIDENCE, scopeOf: (db, stepId) => caseScope(db('complaint_steps as s').join('complaints as c', 'c.id', 's.complaint_id').where('s.id', stepId)), canRead: mayReadCase },
];
