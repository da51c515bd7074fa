import { guardedRouter } from '../../auth/policy.ts';
import { OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { PAGE_SIZE, requestedPage } from '../../http/pager.ts';
import { idParam } from '../../http/params.ts';
import { parseInput } from '../../http/validate.ts';
import { caseJson, ratesJson } from './present.ts';
import { hearingsOfCases, listCases, registerScope } from './queries.ts';
import { caseInputSchema, hearingInputSchema, litigationFiltersSchema } from './schema.ts';
import { caseDetail, litigationRatesReport } from './service/detail.ts';
import { recordHearing } from './service/hearings.ts';
import { recordCase } from './service/register.ts';

/**
 * Who may use the litigation register API:
 * - list and read: auditors (every agency), officers (their agency; naming another answers 403); others 403;
 * - record a case or a hearing: the defendant agency's officers.
 */
export function litigationApiRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  // The cases with their hearings (a period given keeps those open in it), and the rates of the period's hearings (the year to date unless asked).
  r.get('/litigation', OFFICERS_AND_AUDITORS, async (req, res) => {
    const user = req.user!;
    const filters = parseInput(litigationFiltersSchema, req.query);
    const report = await litigationRatesReport(db, user, filters, clock.today());
    const page = requestedPage(req);
    const { items, total } = await listCases(db, registerScope(user), filters, page, PAGE_SIZE);
    const hearings = await hearingsOfCases(db, items.map((c) => c.id));
    res.json({ items: items.map((c) => caseJson(c, hearings.get(c.id)!)), total, page, pageSize: PAGE_SIZE, rates: ratesJson(report) });
  });

  r.post('/litigation', OFFICERS, async (req, res) => {
    const input = parseInput(caseInputSchema, req.body);
    const { id } = await recordCase(ctx, callerOf(req), input);
    const detail = await caseDetail(db, req.user!, id);
    res.status(201).json(caseJson(detail, detail.hearings));
  });

  r.get('/litigation/:id', OFFICERS_AND_AUDITORS, async (req, res) => {
    const detail = await caseDetail(db, req.user!, idParam(req));
    res.json(caseJson(detail, detail.hearings));
  });

  r.post('/litigation/:id/hearings', OFFICERS, async (req, res) => {
    const caseId = idParam(req);
    const input = parseInput(hearingInputSchema, req.body);
    const { id } = await recordHearing(ctx, callerOf(req), caseId, input);
    const detail = await caseDetail(db, req.user!, caseId);
    res.status(201).json({ id, case: caseJson(detail, detail.hearings) });
  });

  return r.router;
}
