import { guardedRouter, listScope } from '../../auth/policy.ts';
import { BUSINESS_READERS, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { PAGE_SIZE, requestedPage } from '../../http/pager.ts';
import { parseInput } from '../../http/validate.ts';
import { lateInterestOf, listArrears, type ArrearsListRow } from './queries.ts';
import { arrearsFiltersSchema, arrearsInputSchema } from './schema.ts';
import { registerArrears } from './service/register.ts';

/**
 * Who may use the arrears ledger API:
 * - list: auditors (everything), officers (their agency), enterprises (what is owed to them); admins get 403;
 * - register: officers, for their own agency only (another agency answers 403).
 */

/**
 * An arrears as the list answers it: the fields registering answers (id, dueOn, creditorScale,
 * outstandingFen, status, ageingBucket, nonCompliantTerm, lateInterestFen) and the ledger's others;
 * camelCase, dates YYYY-MM-DD, money integer fen, ageing and interest as of today.
 */
function listItemJson(a: ArrearsListRow, lateInterestFen: number) {
  return {
    id: a.id,
    agencyId: a.agencyId,
    agencyName: a.agencyName,
    enterpriseId: a.enterpriseId,
    enterpriseName: a.enterpriseName,
    creditorScale: a.creditorScale,
    category: a.category,
    contractRef: a.contractRef,
    description: a.description,
    principalFen: a.principalFen,
    paidFen: a.paidFen,
    outstandingFen: a.outstandingFen,
    disputedFen: a.disputedFen,
    undisputedOutstandingFen: a.undisputedOutstandingFen,
    acceptedOn: a.acceptedOn,
    dueOn: a.dueOn,
    status: a.status,
    overdue: a.overdue,
    daysPastDue: a.daysPastDue,
    ageingBucket: a.ageingBucket,
    nonCompliantTerm: a.nonCompliantTerm,
    overdueAfterHandover: a.overdueAfterHandover,
    lateInterestFen,
  };
}

export function arrearsApiRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/arrears', BUSINESS_READERS, async (req, res) => {
    const filters = parseInput(arrearsFiltersSchema, req.query);
    const page = requestedPage(req);
    const today = clock.today();
    const { items, total } = await listArrears(db, listScope(req.user!), filters, page, PAGE_SIZE, today);
    const interest = await lateInterestOf(db, items, today);
    res.json({ items: items.map((a) => listItemJson(a, interest.get(a.id)!)), total, page, pageSize: PAGE_SIZE });
  });

  r.post('/arrears', OFFICERS, async (req, res) => {
    const input = parseInput(arrearsInputSchema, req.body);
    res.status(201).json(await registerArrears(ctx, callerOf(req), input));
  });

  return r.router;
}
