import { can } from '../../auth/policy.ts';
import type { EvidenceOwnerType } from '../../context.ts';
import { CREDIT_RECORD } from './policy-credit.ts';

/** The evidence that an agency performed after a finding of default: attached to the credit record entry it repairs. */
export const CREDIT_REPAIR_EVIDENCE = 'complaints.credit_repair';

export const creditEvidenceOwners: EvidenceOwnerType[] = [
  {
    name: CREDIT_REPAIR_EVIDENCE,
    async scopeOf(db, entryId) {
      const row = await db('credit_record_entries').where({ id: entryId }).first('agency_id');
      return row ? { agencyId: Number(row.agency_id) } : null;
    },
    canRead: (user, scope) => scope.agencyId !== null && can(user, CREDIT_RECORD.read, { agencyId: scope.agencyId }),
  },
];
