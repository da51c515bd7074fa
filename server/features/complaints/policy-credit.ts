import { definePolicy } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';

/** An agency's integrity records: its government credit record and its complaint statistics. */
export interface AgencyRecordScope {
  agencyId: number;
}

/** Auditors read every agency's; an officer reads its own agency's. */
function readsAgency(user: SessionUser, r: AgencyRecordScope): boolean {
  return user.role === 'auditor' || (user.role === 'officer' && user.agencyId !== null && user.agencyId === r.agencyId);
}

/**
 * 政务信用记录: the findings of default against an agency. Its officers and the auditors read them;
 * only an auditor marks an entry repaired (信用修复), on the evidence that the agency performed.
 */
export const CREDIT_RECORD = definePolicy<AgencyRecordScope, 'read' | 'repair'>('creditRecord', {
  read: readsAgency,
  repair: (user) => user.role === 'auditor',
});

/** The complaint handling figures of an agency (and their export): read as the credit record is. */
export const COMPLAINT_STATISTICS = definePolicy<AgencyRecordScope, 'read'>('complaintStatistics', {
  read: readsAgency,
});
