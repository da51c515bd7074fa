import type { Knex } from 'knex';
import { can, type ScopedRecord } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import type { EvidenceOwnerType } from '../../context.ts';
import { ARREARS } from './policy.ts';

/**
 * What arrears attach evidence to: the arrears itself (contract, acceptance certificate, invoice), a
 * payment (the voucher), and the creditor's dispute of a payment (its counter-proof, owner id = the payment's).
 */
export const ARREARS_EVIDENCE = 'arrears.record';
export const PAYMENT_EVIDENCE = 'arrears.payment';
export const PAYMENT_DISPUTE_EVIDENCE = 'arrears.payment_dispute';

async function scopeOf(query: Knex.QueryBuilder): Promise<ScopedRecord | null> {
  const row = await query.first('a.agency_id', 'a.enterprise_id');
  return row ? { agencyId: Number(row.agency_id), enterpriseId: Number(row.enterprise_id) } : null;
}

/** Evidence is read by whoever may read the arrears it proves something about. */
const mayReadArrears = (user: SessionUser, scope: ScopedRecord) => can(user, ARREARS.read, scope);

const paymentScope = (db: Knex, paymentId: number) => scopeOf(db('arrears_payments as p').join('arrears as a', 'a.id', 'p.arrears_id').where('p.id', paymentId));

export const arrearsEvidenceOwners: EvidenceOwnerType[] = [
  { name: ARREARS_EVIDENCE, scopeOf: (db, arrearsId) => scopeOf(db('arrears as a').where('a.id', arrearsId)), canRead: mayReadArrears },
  { name: PAYMENT_EVIDENCE, scopeOf: paymentScope, canRead: mayReadArrears },
  { name: PAYMENT_DISPUTE_EVIDENCE, scopeOf: paymentScope, canRead: mayReadArrears },
];
