import { can } from '../../auth/policy.ts';
import type { EvidenceOwnerType } from '../../context.ts';
import { COMPLAINTS } from './policy.ts';
import { scopeOf } from './repository.ts';

/** Files attached to a step of a case (the agency's rectification proof, the visit record, the auditor's finding). */
export const STEP_EVIDENCE = 'complaints.step';

/** Read by whoever may read the case: its complainant, the handling agency (and the superior it was forwarded to), auditors. */
export const complaintStepEvidenceOwners: EvidenceOwnerType[] = [
  {
    name: STEP_EVIDENCE,
    scopeOf: async (db, stepId) => {
      const row = await db('complaint_steps as s').join('complaints as c', 'c.id', 's.complaint_id').where('s.id', stepId).first('c.id', 'c.agency_id', 'c.enterprise_id', 'c.forwarded_to_agency_id');
      return row ? scopeOf(row) : null;
    },
    canRead: (user, scope) => can(user, COMPLAINTS.read, scope),
  },
];
