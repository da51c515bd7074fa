import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { guardedRouter, listScope } from '../../auth/policy.ts';
import { BUSINESS_READERS, OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import { callerOf } from '../../http/actor.ts';
import { idParam } from '../../http/params.ts';
import { PAGE_SIZE, requestedPage } from '../../http/pager.ts';
import { calendarDate, parseInput } from '../../http/validate.ts';
import { commitmentJson, listItemJson, milestoneJson } from './present.ts';
import { listCommitments } from './queries.ts';
import { commitmentFiltersSchema, commitmentInputSchema } from './schema.ts';
import { getCommitmentForUser } from './service/detail.ts';
import { recordFulfilment } from './service/fulfilments.ts';
import { recordBreach, terminateCommitment } from './service/lifecycle.ts';
import { createCommitment } from './service/register.ts';

/**
 * Who may use the commitments API:
 * - read (list, one): auditors (everything), officers (their agency), enterprises (commitments owed to them);
 *   admins manage accounts, not business records, so they get 403;
 * - create, record a fulfilment, terminate: officers of the commitment's agency;
 * - record a breach: officers of the agency or auditors.
 * Record scope is checked by the service: another agency's commitment answers 404.
 */

const fen = z.number('validation.invalid').int('validation.invalid').min(0, 'validation.tooSmall');
const reasonText = z.string('validation.required').trim().min(1, 'validation.required').max(2000, 'validation.tooLong');

const fulfilmentBody = z.object({
  fulfilledOn: calendarDate,
  note: reasonText,
  amountFen: fen.nullish(),
  complete: z.boolean('validation.required'),
});
const breachBody = z.object({ reason: reasonText, milestoneId: z.number('validation.invalid').int('validation.invalid').positive('validation.invalid').nullish() });
const terminateBody = z.object({ reason: reasonText });

export function commitmentsApiRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/commitments', BUSINESS_READERS, async (req, res) => {
    const filters = parseInput(commitmentFiltersSchema, req.query);
    const page = requestedPage(req);
    const { items, total } = await listCommitments(db, listScope(req.user!), filters, page, PAGE_SIZE, clock.today());
    res.json({ items: items.map(listItemJson), total, page, pageSize: PAGE_SIZE });
  });

  r.post('/commitments', OFFICERS, async (req, res) => {
    const input = parseInput(commitmentInputSchema, req.body);
    const id = await createCommitment(ctx, callerOf(req), input);
    res.status(201).json(commitmentJson(await getCommitmentForUser(db, req.user!, id, clock.today())));
  });

  r.get('/commitments/:id', BUSINESS_READERS, async (req, res) => {
    res.json(commitmentJson(await getCommitmentForUser(db, req.user!, idParam(req), clock.today())));
  });

  r.post('/commitments/:id/milestones/:milestoneId/fulfilments', OFFICERS, async (req, res) => {
    const id = idParam(req);
    const milestoneId = idParam(req, 'milestoneId');
    const input = parseInput(fulfilmentBody, req.body);
    await recordFulfilment(ctx, callerOf(req), id, milestoneId, input);
    const detail = await getCommitmentForUser(db, req.user!, id, clock.today());
    res.status(201).json(milestoneJson(detail.milestones.find((m) => m.id === milestoneId)!));
  });

  r.post('/commitments/:id/breach', OFFICERS_AND_AUDITORS, async (req, res) => {
    const id = idParam(req);
    const input = parseInput(breachBody, req.body);
    await recordBreach(ctx, callerOf(req), id, { findings: input.reason, milestoneId: input.milestoneId });
    res.json(commitmentJson(await getCommitmentForUser(db, req.user!, id, clock.today())));
  });

  r.post('/commitments/:id/terminate', OFFICERS, async (req, res) => {
    const id = idParam(req);
    const input = parseInput(terminateBody, req.body);
    await terminateCommitment(ctx, callerOf(req), id, input);
    res.json(commitmentJson(await getCommitmentForUser(db, req.user!, id, clock.today())));
  });

  return r.router;
}
