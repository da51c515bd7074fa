import type { AuditEntityType } from '../../context.ts';
import { DEADLINES_URL } from './routes-deadlines.ts';

/** How the audit log names a version of the complaint deadline set: the admins' page of all versions. */
export const complaintDeadlineAuditEntities: AuditEntityType[] = [
  {
    type: 'complaint_deadline_set',
    labelKey: 'complaints:handling.deadlines.entity',
    async describe(_db, ids) {
      return new Map(ids.map((id) => [id, { name: `#${id}`, href: DEADLINES_URL }]));
    },
  },
];
