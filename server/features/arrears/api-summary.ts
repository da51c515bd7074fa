import { guardedRouter } from '../../auth/policy.ts';
import { BUSINESS_READERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { parseInput } from '../../http/validate.ts';
import type { ArrearsFigures, ArrearsSummary } from './summary.ts';
import { summaryForUser, summaryQuerySchema } from './summary-request.ts';

function figuresJson(f: ArrearsFigures, since: string | null) {
  return {
    arrearsCount: f.arrearsCount,
    owedFen: f.owedFen,
    paidFen: f.paidFen,
    confirmedFen: f.confirmedFen,
    outstandingFen: f.outstandingFen,
    overdueCount: f.overdueCount,
    overdueFen: f.overdueFen,
    clearanceRate: f.clearanceRate,
    ageing: f.ageing,
    nonCompliantCount: f.nonCompliantCount,
    nonCompliantFen: f.nonCompliantFen,
    ...(since !== null && f.newArrears ? { newArrearsSince: { since, count: f.newArrears.count, amountFen: f.newArrears.amountFen } } : {}),
  };
}

export function summaryJson(s: ArrearsSummary) {
  return {
    asOf: s.asOf,
    ...figuresJson(s.total, s.since),
    agencies: s.agencies.map((a) => ({ agencyId: a.agencyId, agencyName: a.agencyName, ...figuresJson(a, s.since) })),
  };
}

/**
 * GET /api/v1/arrears/summary?agencyId=&asOf=&since=: the clearance figures of the caller's scope (an
 * officer its agency, an enterprise what is owed to it, an auditor every agency), in total and per agency.
 */
export function arrearsSummaryApiRoutes({ db, clock }: AppContext) {
  const r = guardedRouter();
  r.get('/arrears/summary', BUSINESS_READERS, async (req, res) => {
    const query = parseInput(summaryQuerySchema, req.query);
    res.json(summaryJson(await summaryForUser(db, req.user!, query, clock.today())));
  });
  return r.router;
}
