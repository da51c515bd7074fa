import type { Request, Response } from 'express';
import { can } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { timelineOf } from '../../audit/timeline.ts';
import { idParam } from '../../http/params.ts';
import { attachmentsOf } from '../../evidence/index.ts';
import { DISPUTE_EVIDENCE, FULFILMENT_EVIDENCE, WAIVER_EVIDENCE } from './evidence-owners.ts';
import { COMMITMENTS } from './policy.ts';
import { openDisputes, pendingWaivers } from './queries.ts';
import { isMilestoneOpen } from './rules.ts';
import { getCommitmentForUser, type CommitmentDetail } from './service/detail.ts';

/** What the commitment page and the auditors' queue show; their forms re-render with the same data. */

type T = (key: string, params?: Record<string, unknown>) => string;
type Option = { value: string | number; label: string };

export const SHOW_VIEW = 'commitments/views/show';
export const QUEUE_VIEW = 'commitments/views/queue';

function milestoneLabel(t: T, date: (d: string) => string, m: CommitmentDetail['milestones'][number]): string {
  return t('commitments:pages.actions.milestoneOption', { seq: m.seq, description: m.description, dueOn: date(m.dueOn) });
}

/** The commitment page: the record, its timeline, and the forms the user may use (asked of the policy). */
export function showPageLocals({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  return async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = req.user!;
    const detail = await getCommitmentForUser(db, user, idParam(req), clock.today());
    const timeline = await timelineOf(db, 'commitment', detail.id);
    const open = detail.milestones.filter((m) => isMilestoneOpen(m.status));
    const waivable = open.filter((m) => !m.waivers.some((w) => w.decision === 'pending'));
    const choose = { value: '', label: t('commitments:pages.actions.chooseMilestone') };
    const toOption = (m: CommitmentDetail['milestones'][number]): Option => ({ value: m.id, label: milestoneLabel(t, res.locals.date, m) });
    return {
      title: detail.title,
      c: detail,
      timeline,
      may: {
        edit: can(user, COMMITMENTS.edit, detail) && !detail.terminatedOn,
        fulfil: can(user, COMMITMENTS.fulfil, detail),
        requestWaiver: can(user, COMMITMENTS.requestWaiver, detail),
        recordBreach: can(user, COMMITMENTS.recordBreach, detail),
        handOver: can(user, COMMITMENTS.handOver, detail),
        terminate: can(user, COMMITMENTS.terminate, detail),
        verify: can(user, COMMITMENTS.verify, detail),
        respond: can(user, COMMITMENTS.respond, detail),
      },
      openForm: res.locals.openForm ?? null,
      fulfilOptions: open.length ? [choose, ...open.map(toOption)] : [],
      waiveOptions: waivable.length ? [choose, ...waivable.map(toOption)] : [],
      breachOptions: open.length ? [{ value: '', label: t('commitments:pages.actions.allOpenMilestones') }, ...open.map(toOption)] : [],
      totals: {
        owedFen: detail.milestones.reduce((sum, m) => sum + (m.amountFen ?? 0), 0),
        fulfilledFen: detail.milestones.reduce((sum, m) => sum + m.fulfilledFen, 0),
      },
    };
  };
}

/**
 * The auditors' queue of waivers and disputes waiting for them, each with its evidence: the agency's
 * for a waiver, and for a dispute both sides' (the agency's proof and the enterprise's counter-proof).
 */
export function queuePageLocals({ db }: Pick<AppContext, 'db'>) {
  return async (_req: Request, res: Response) => {
    const [waivers, disputes] = await Promise.all([pendingWaivers(db), openDisputes(db)]);
    const evidence = await attachmentsOf(db, [
      ...waivers.map((w) => ({ type: WAIVER_EVIDENCE, id: w.waiverId })),
      ...disputes.flatMap((d) => [{ type: FULFILMENT_EVIDENCE, id: d.fulfilmentId }, { type: DISPUTE_EVIDENCE, id: d.fulfilmentId }]),
    ]);
    return {
      title: (res.locals.t as T)('commitments:pages.queue.title'),
      waivers: waivers.map((w) => ({ ...w, evidence: evidence.of({ type: WAIVER_EVIDENCE, id: w.waiverId }) })),
      disputes: disputes.map((d) => ({
        ...d,
        agencyEvidence: evidence.of({ type: FULFILMENT_EVIDENCE, id: d.fulfilmentId }),
        enterpriseEvidence: evidence.of({ type: DISPUTE_EVIDENCE, id: d.fulfilmentId }),
      })),
      openForm: res.locals.openForm ?? null,
    };
  };
}
