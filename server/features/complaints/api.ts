import { guardedRouter, listScope } from '../../auth/policy.ts';
import { BUSINESS_READERS, ENTERPRISES } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { PAGE_SIZE, requestedPage } from '../../http/pager.ts';
import { idParam } from '../../http/params.ts';
import { parseInput } from '../../http/validate.ts';
import { caseJson, caseListItemJson } from './present.ts';
import { listCases } from './queries.ts';
import { complaintInputSchema } from './schema.ts';
import { caseFiltersSchema } from './schema-cases.ts';
import { caseDetail } from './service/detail.ts';
import { fileComplaint } from './service/file.ts';

/**
 * Who may use the complaints API:
 * - file: enterprises, for themselves (201 with id, status and acceptDueOn);
 * - list and read: auditors (everything), officers (cases against their agency or forwarded to it),
 *   enterprises (their own); another's case answers 404; admins get 403. A complainant whose name is
 *   withheld is null to the agency's officers.
 */
export function complaintsApiRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.post('/complaints', ENTERPRISES, async (req, res) => {
    const input = parseInput(complaintInputSchema, req.body);
    res.status(201).json(await fileComplaint(ctx, callerOf(req), input));
  });

  r.get('/complaints', BUSINESS_READERS, async (req, res) => {
    const user = req.user!;
    const filters = parseInput(caseFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listCases(db, user, listScope(user), filters, user.role === 'officer' ? 'deadline' : 'newest', page, PAGE_SIZE, clock.today());
    res.json({ items: items.map(caseListItemJson), total, page, pageSize: PAGE_SIZE });
  });

  r.get('/complaints/:id', BUSINESS_READERS, async (req, res) => {
    res.json(caseJson(await caseDetail(ctx, callerOf(req), idParam(req))));
  });

  return r.router;
}
