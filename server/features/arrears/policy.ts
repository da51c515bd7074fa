import { canEditRecord, canReadRecord, definePolicy, type ScopedRecord } from '../../auth/policy.ts';

/**
 * Who may do what with an arrears (a debt of one agency to one enterprise). Auditors read everything,
 * settle disputed payments and run campaigns; the debtor agency's officers keep its clearance ledger;
 * the creditor reads what it is owed and confirms or disputes each payment.
 */
export const ARREARS = definePolicy<ScopedRecord, 'read' | 'create' | 'pay' | 'reverse' | 'plan' | 'handOver' | 'reviseDispute' | 'respond' | 'settle'>('arrears', {
  read: canReadRecord,
  // `create` is asked with the agency the new record names: officers register for their own agency only.
  create: canEditRecord,
  pay: canEditRecord,
  reverse: canEditRecord,
  plan: canEditRecord,
  handOver: canEditRecord,
  // The disputed part changes when the agency and the creditor settle it; the agency records that.
  reviseDispute: canEditRecord,
  // Only the creditor confirms or disputes a payment the agency says it made.
  respond: (user, record) => user.role === 'enterprise' && user.enterpriseId !== null && record.enterpriseId === user.enterpriseId,
  // Auditors settle a disputed payment (upheld: it counts; rejected: it never does).
  settle: (user) => user.role === 'auditor',
});
