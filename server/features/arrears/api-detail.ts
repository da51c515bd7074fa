import type { AppContext } from '../../context.ts';
import { guardedRouter } from '../../auth/policy.ts';
import { BUSINESS_READERS } from '../../auth/roles.ts';
import { callerOf } from '../../http/actor.ts';
import { idParam, queryText } from '../../http/params.ts';
import { arrearsJson } from './present.ts';
import { arrearsDetail } from './service/detail.ts';

/**
 * GET /api/v1/arrears/:id?asOf=YYYY-MM-DD: one arrears with its payments and plan, and its position,
 * ageing, late interest and flags as of that date (today when not given; a bad date answers 422
 * naming `asOf`). Officers read their agency's, enterprises what is owed to them, auditors all;
 * another's answers 404. Admins keep accounts, not business records: 403.
 */
export function arrearsDetailApiRoutes(ctx: AppContext) {
  const r = guardedRouter();

  r.get('/arrears/:id', BUSINESS_READERS, async (req, res) => {
    const asOf = queryText(req, 'asOf').trim();
    res.json(arrearsJson(await arrearsDetail(ctx, callerOf(req), idParam(req), asOf || undefined)));
  });

  return r.router;
}
