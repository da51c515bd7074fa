import type { Knex } from 'knex';
import { z } from 'zod';
import { isUniqueViolation } from '../../../db/dialect.ts';
import { recordAudit } from '../../audit/chain.ts';
import { can, definePolicy } from '../../auth/policy.ts';
import type { Caller, UseCaseContext } from '../../context.ts';
import { exactDecimal } from '../../domain/money.ts';
import { fieldError, forbidden } from '../../http/errors.ts';
import { calendarDate } from '../../http/validate.ts';
import { annualRate } from './schema.ts';

/*
 * The one-year LPR table (贷款市场报价利率): an agreed late-interest rate below the LPR in force on the
 * contract date is flagged. Seeded with the published quotations; admins add each new one as the
 * National Interbank Funding Center publishes it. Everyone signed in reads the table.
 */

export const LPR = definePolicy<unknown, 'add'>('lpr', {
  // Reference data: kept by the admins, like the holiday calendar.
  add: (user) => user.role === 'admin',
});

export const lprInputSchema = z.object({
  effectiveOn: calendarDate,
  percent: annualRate.refine((v) => (exactDecimal(v)?.numerator ?? 0n) > 0n, 'arrears:lpr.errors.zero'),
});
export type LprInput = z.infer<typeof lprInputSchema>;

export interface LprRateRow {
  id: number;
  effectiveOn: string;
  percent: string;
  addedBy: string | null;
}

/** The quotations, newest first. */
export async function listLprRates(db: Knex): Promise<LprRateRow[]> {
  const rows: Array<{ id: number; effective_on: string; one_year_percent: string; display_name: string | null }> = await db('lpr_rates as l')
    .leftJoin('users as u', 'u.id', 'l.created_by')
    .orderBy('l.effective_on', 'desc')
    .select('l.id', 'l.effective_on', 'l.one_year_percent', 'u.display_name');
  return rows.map((r) => ({ id: Number(r.id), effectiveOn: r.effective_on, percent: r.one_year_percent, addedBy: r.display_name }));
}

/** An admin adds a published quotation: one per date, never dated ahead. */
export async function addLprRate(ctx: UseCaseContext, caller: Caller, input: LprInput): Promise<{ id: number }> {
  if (!can(caller.user, LPR.add)) throw forbidden();
  const today = ctx.clock.today();
  if (input.effectiveOn > today) throw fieldError('effectiveOn', 'arrears:lpr.errors.future', { today });
  const at = ctx.clock.now().toISOString();
  const duplicate = () => fieldError('effectiveOn', 'arrears:lpr.errors.duplicate', { date: input.effectiveOn });
  return ctx.db.transaction(async (trx) => {
    if (await trx('lpr_rates').where({ effective_on: input.effectiveOn }).first('id')) throw duplicate();
    let id: number;
    try {
      const [row] = await trx('lpr_rates').insert({ effective_on: input.effectiveOn, one_year_percent: input.percent, created_by: caller.actor.id, created_at: at }).returning('id');
      id = Number(row.id);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    await recordAudit(trx, caller.actor, { action: 'arrears.lpr_added', entityType: 'lpr_rate', entityId: id, after: { effectiveOn: input.effectiveOn, percent: input.percent } });
    return { id };
  });
}
