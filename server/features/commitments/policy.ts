import { canEditRecord, canReadRecord, definePolicy, type ScopedRecord } from '../../auth/policy.ts';

/**
 * Who may do what with a commitment (a record of one agency, owed to at most one enterprise).
 * Auditors read everything and verify; the agency's officers keep its ledger; the counterparty
 * enterprise reads what is owed to it and answers for itself.
 */
export const COMMITMENTS = definePolicy<ScopedRecord, 'read' | 'create' | 'edit' | 'fulfil' | 'requestWaiver' | 'handOver' | 'terminate' | 'verify' | 'recordBreach' | 'respond'>('commitments', {
  read: canReadRecord,
  // `create` is asked with the agency the new record names: officers register for their own agency only.
  create: canEditRecord,
  edit: canEditRecord,
  fulfil: canEditRecord,
  requestWaiver: canEditRecord,
  handOver: canEditRecord,
  terminate: canEditRecord,
  // Auditors decide waivers and settle disputed fulfilments (监督审计核查).
  verify: (user) => user.role === 'auditor',
  // A breach is recorded by the responsible agency's officers or by an auditor.
  recordBreach: (user, record) => user.role === 'auditor' || canEditRecord(user, record),
  // Only the counterparty confirms or disputes what the agency says it delivered.
  respond: (user, record) => user.role === 'enterprise' && user.enterpriseId !== null && record.enterpriseId === user.enterpriseId,
});
