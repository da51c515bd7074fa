import type { Request, Response } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, ENTERPRISES, OFFICERS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { checkUploads } from '../../evidence/index.ts';
import {
  breachFormSchema,
  fulfilmentFormSchema,
  handoverFormSchema,
  responseFormSchema,
  settlementFormSchema,
  terminationFormSchema,
  waiverDecisionFormSchema,
  waiverFormSchema,
} from './form.ts';
import { QUEUE_VIEW, SHOW_VIEW, queuePageLocals, showPageLocals } from './pages.ts';
import { addDisputeEvidence, recordFulfilment, respondToFulfilment, settleDispute } from './service/fulfilments.ts';
import { recordBreach, recordHandover, terminateCommitment } from './service/lifecycle.ts';
import { decideWaiver, requestWaiver } from './service/waivers.ts';

/**
 * The action forms of the commitment page (and of the auditors' queue). Each is one actionForm: the
 * form's schema, the use case it calls (which checks access and the record's state inside its own
 * transaction), where its errors go and where it leads.
 */
export function commitmentActionRoutes(ctx: AppContext) {
  const r = guardedRouter();
  const showPage = { view: SHOW_VIEW, locals: showPageLocals(ctx) };
  const back = (req: Request, anchor = '') => `/commitments/${idParam(req)}${anchor}`;
  const evidence = (field: string) => ({ field, check: checkUploads });

  r.post('/commitments/:id/fulfilments', OFFICERS, ...actionForm({
    ...showPage,
    form: () => 'fulfilment',
    read: fulfilmentFormSchema,
    files: evidence('fulfilmentEvidence'),
    fields: { note: 'fulfilmentNote', amountFen: 'fulfilmentAmount' },
    conflictField: 'fulfilmentMilestoneId',
    run: (req, f, files) =>
      recordFulfilment(ctx, callerOf(req), idParam(req), f.fulfilmentMilestoneId, { fulfilledOn: f.fulfilledOn, note: f.fulfilmentNote, amountFen: f.fulfilmentAmount, complete: f.fulfilmentComplete }, files),
    done: (req, f) => ({ to: back(req, `#milestone-${f.fulfilmentMilestoneId}`), flash: 'commitments:pages.flash.fulfilmentRecorded' }),
  }));

  r.post('/commitments/:id/waivers', OFFICERS, ...actionForm({
    ...showPage,
    form: () => 'waiver',
    read: waiverFormSchema,
    files: evidence('waiverEvidence'),
    fields: { reason: 'waiverReason' },
    conflictField: 'waiverMilestoneId',
    run: (req, f, files) => requestWaiver(ctx, callerOf(req), idParam(req), f.waiverMilestoneId, f.waiverReason, files),
    done: (req, f) => ({ to: back(req, `#milestone-${f.waiverMilestoneId}`), flash: 'commitments:pages.flash.waiverRequested' }),
  }));

  r.post('/commitments/:id/breach', OFFICERS_AND_AUDITORS, ...actionForm({
    ...showPage,
    form: () => 'breach',
    read: breachFormSchema,
    files: evidence('breachEvidence'),
    fields: { findings: 'breachFindings' },
    conflictField: 'breachMilestoneId',
    run: (req, f, files) => recordBreach(ctx, callerOf(req), idParam(req), { findings: f.breachFindings, milestoneId: f.breachMilestoneId ?? null, breachedOn: f.breachedOn }, files),
    done: (req) => ({ to: back(req), flash: 'commitments:pages.flash.breachRecorded' }),
  }));

  r.post('/commitments/:id/handovers', OFFICERS, ...actionForm({
    ...showPage,
    form: () => 'handover',
    read: handoverFormSchema,
    fields: { note: 'handoverNote' },
    conflictField: 'toOfficial',
    run: (req, f) => recordHandover(ctx, callerOf(req), idParam(req), { toOfficial: f.toOfficial, handedOverOn: f.handedOverOn, note: f.handoverNote }),
    done: (req) => ({ to: back(req), flash: 'commitments:pages.flash.handedOver' }),
  }));

  r.post('/commitments/:id/terminate', OFFICERS, ...actionForm({
    ...showPage,
    form: () => 'terminate',
    read: terminationFormSchema,
    fields: { reason: 'terminationReason' },
    conflictField: 'terminationReason',
    run: (req, f) => terminateCommitment(ctx, callerOf(req), idParam(req), { reason: f.terminationReason, terminatedOn: f.terminatedOn }),
    done: (req) => ({ to: back(req), flash: 'commitments:pages.flash.terminated' }),
  }));

  r.post('/commitments/:id/fulfilments/:fulfilmentId/response', ENTERPRISES, ...actionForm({
    ...showPage,
    form: (req) => `respond-${req.params.fulfilmentId}`,
    read: responseFormSchema,
    files: evidence('responseEvidence'),
    fields: { comment: 'responseComment', evidence: 'responseEvidence' },
    conflictField: 'response',
    run: (req, f, files) => respondToFulfilment(ctx, callerOf(req), idParam(req), idParam(req, 'fulfilmentId'), { response: f.response, comment: f.responseComment }, files),
    done: (req, f) => ({ to: back(req, `#fulfilment-${idParam(req, 'fulfilmentId')}`), flash: f.response === 'confirmed' ? 'commitments:pages.flash.confirmed' : 'commitments:pages.flash.disputed' }),
  }));

  r.post('/commitments/:id/fulfilments/:fulfilmentId/dispute-evidence', ENTERPRISES, ...actionForm({
    ...showPage,
    form: (req) => `dispute-evidence-${req.params.fulfilmentId}`,
    read: z.object({}),
    files: evidence('disputeEvidence'),
    fields: { evidence: 'disputeEvidence' },
    conflictField: 'disputeEvidence',
    run: (req, _f, files) => addDisputeEvidence(ctx, callerOf(req), idParam(req), idParam(req, 'fulfilmentId'), files),
    done: (req) => ({ to: back(req, `#fulfilment-${idParam(req, 'fulfilmentId')}`), flash: 'commitments:pages.flash.disputeEvidenceAdded' }),
  }));

  // The auditors decide from the commitment page or from their queue, and go back where they came from.
  const fromQueue = (req: Request) => req.body?.returnTo === 'queue';
  const queuePage = queuePageLocals(ctx);
  const decisionPage = {
    view: (req: Request) => (fromQueue(req) ? QUEUE_VIEW : SHOW_VIEW),
    locals: (req: Request, res: Response) => (fromQueue(req) ? queuePage(req, res) : showPage.locals(req, res)),
  };
  const decisionBack = (req: Request) => (fromQueue(req) ? '/commitments/waivers' : back(req));

  r.post('/commitments/:id/waivers/:waiverId/decision', AUDITORS, ...actionForm({
    ...decisionPage,
    form: (req) => `decide-${req.params.waiverId}`,
    read: waiverDecisionFormSchema,
    fields: { note: 'decisionNote' },
    conflictField: 'decision',
    run: (req, f) => decideWaiver(ctx, callerOf(req), idParam(req), idParam(req, 'waiverId'), f.decision, f.decisionNote),
    done: (req, f) => ({ to: decisionBack(req), flash: f.decision === 'confirmed' ? 'commitments:pages.flash.waiverConfirmed' : 'commitments:pages.flash.waiverRefused' }),
  }));

  r.post('/commitments/:id/fulfilments/:fulfilmentId/settlement', AUDITORS, ...actionForm({
    ...decisionPage,
    form: (req) => `settle-${req.params.fulfilmentId}`,
    read: settlementFormSchema,
    fields: { note: 'settlementNote', decision: 'settlement' },
    conflictField: 'settlement',
    run: (req, f) => settleDispute(ctx, callerOf(req), idParam(req), idParam(req, 'fulfilmentId'), { decision: f.settlement, note: f.settlementNote }),
    done: (req, f) => ({ to: decisionBack(req), flash: f.settlement === 'upheld' ? 'commitments:pages.flash.upheld' : 'commitments:pages.flash.rejected' }),
  }));

  return r.router;
}
