import type { Request, Response } from 'express';
import { can, guardedRouter } from '../../auth/policy.ts';
import { AUDITORS, OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { callerOf } from '../../http/actor.ts';
import { ValidationError, notFound, type FieldError } from '../../http/errors.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam, queryText } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { checkInput } from '../../http/validate.ts';
import { addDays, isValidDate } from '../../domain/dates.ts';
import { allAgencies } from '../admin/queries.ts';
import { CAMPAIGNS } from './policy.ts';
import { itemLabels, listCampaignRecords, type ItemLabel } from './repository.ts';
import { CAMPAIGN_ITEM_TYPES, ITEM_STATES, campaignPhase, daysLeft, type ItemProgress } from './rules.ts';
import { assignmentInputSchema, campaignFormSchema, campaignInputSchema, itemRefSchema, type AssignmentInput, type CampaignInput } from './schema.ts';
import { assignItem } from './service/assign.ts';
import { createCampaign } from './service/create.ts';
import { campaignProgress, type CampaignProgress } from './service/progress.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

/** Items needing action shown on the campaign page; the items page lists them all. */
const NEEDS_ACTION_MAX = 50;
const NEW_VIEW = 'campaigns/views/new';
const SHOW_VIEW = 'campaigns/views/show';
const ASSIGN_VIEW = 'campaigns/views/assign';

const itemKey = (i: { itemType: string; itemId: number }) => `${i.itemType}#${i.itemId}`;

/** Items with what a list shows of them, those needing action first by due date. */
function labelled(items: ItemProgress[], labels: Map<string, ItemLabel>, agencyName: Map<number, string>) {
  const order = { new: 0, open: 1, cleared: 2 } as const;
  return items
    .map((i) => ({ ...i, ref: `${i.itemType}:${i.itemId}`, label: labels.get(itemKey(i)) ?? null, agencyName: agencyName.get(i.agencyId) ?? '' }))
    .sort((a, b) => order[a.state] - order[b.state] || (a.label?.dueOn ?? '').localeCompare(b.label?.dueOn ?? '') || a.itemId - b.itemId);
}

/** The campaigns list, the form to start one, the campaign page with its progress, its items, and the assignment form. */
export function campaignRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const r = guardedRouter();

  r.get('/campaigns', OFFICERS_AND_AUDITORS, async (req, res) => {
    const user = req.user!;
    const today = clock.today();
    const campaigns = await listCampaignRecords(db, user.role === 'auditor' ? null : user.agencyId ?? -1);
    renderPage(res, 'campaigns/views/list', {
      title: (res.locals.t as T)('campaigns:pages.list.title'),
      campaigns: campaigns.map((c) => ({ ...c, phase: campaignPhase(c, today), daysLeft: daysLeft(c.targetOn, today) })),
      mayCreate: can(user, CAMPAIGNS.create),
    });
  });

  const newLocals = async (_req: Request, res: Response) => ({
    title: (res.locals.t as T)('campaigns:pages.form.title'),
    agencies: await allAgencies(db),
  });

  r.get('/campaigns/new', AUDITORS, async (req, res) => {
    renderPage(res, NEW_VIEW, { ...(await newLocals(req, res)), values: { startedOn: clock.today() } });
  });

  // "All agencies" becomes every agency's id before the form is read (actionForm's reader is synchronous).
  r.post('/campaigns', AUDITORS, async (req, _res, next) => {
    if ((req.body as Record<string, unknown>)?.allAgencies === 'on') (req.body as Record<string, unknown>).agencyIds = (await allAgencies(db)).map((a) => String(a.id));
    next();
  }, ...actionForm({
    view: NEW_VIEW,
    locals: newLocals,
    read: (body) => {
      const form = checkInput(campaignFormSchema, body);
      if (!form.ok) throw new ValidationError(form.errors);
      const picked = form.value.agencyIds === undefined ? [] : ([] as string[]).concat(form.value.agencyIds);
      const input = checkInput(campaignInputSchema, { ...form.value, agencyIds: picked.filter((v) => /^\d+$/.test(v)).map(Number) });
      if (!input.ok) throw new ValidationError(input.errors);
      return input.value;
    },
    conflictField: '',
    run: (req, input: CampaignInput) => createCampaign(ctx, callerOf(req), input),
    done: (_req, _input, result) => ({ to: `/campaigns/${result.id}`, flash: 'campaigns:pages.flash.created' }),
  }));

  /** The as-of date of a page: today unless a valid date is asked for. */
  const asOfOf = (req: Request): { asOf: string; errors: FieldError[] } => {
    const asked = queryText(req, 'asOf');
    if (!asked) return { asOf: clock.today(), errors: [] };
    return isValidDate(asked) ? { asOf: asked, errors: [] } : { asOf: clock.today(), errors: [{ path: 'asOf', key: 'validation.date' }] };
  };

  /** Reads progress; an as-of date before the start shows the start date with the error beside the date box. */
  async function progressFor(req: Request): Promise<{ progress: CampaignProgress; errors: FieldError[] }> {
    const id = idParam(req);
    const { asOf, errors } = asOfOf(req);
    try {
      return { progress: await campaignProgress(ctx, req.user!, id, asOf), errors };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { progress: await campaignProgress(ctx, req.user!, id, clock.today() < asOf ? asOf : clock.today()), errors: err.fieldErrors };
    }
  }

  const showLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const user = req.user!;
    const { progress, errors } = await progressFor(req);
    const { campaign } = progress;
    const today = clock.today();
    const needing = progress.items.filter((i) => i.state !== 'cleared');
    const assigned = progress.assignments.map((a) => ({ itemType: a.itemType, itemId: a.itemId }));
    const labels = await itemLabels(db, [...needing, ...assigned]);
    const agencyName = new Map(progress.agencies.map((a) => [a.id, a.name]));
    const newFigures = progress.all.total;
    return {
      title: campaign.name,
      p: progress,
      phase: campaignPhase(campaign, today),
      daysLeft: daysLeft(campaign.targetOn, today),
      needing: labelled(needing, labels, agencyName).slice(0, NEEDS_ACTION_MAX),
      needingTotal: needing.length,
      needsActionMax: NEEDS_ACTION_MAX,
      newProblems: { count: newFigures.newProblemCount, fen: newFigures.newProblemFen },
      assignments: progress.assignments.map((a) => ({ ...a, label: labels.get(itemKey(a)) ?? null, agencyName: agencyName.get(a.agencyId) ?? '' })),
      mayAssign: can(user, CAMPAIGNS.assign, campaign),
      ownAgency: user.role === 'officer' ? user.agencyName : null,
      kinds: [
        { key: 'arrears', heading: t('campaigns:pages.show.arrearsTable'), figures: progress.arrears },
        { key: 'milestone', heading: t('campaigns:pages.show.milestonesTable'), figures: progress.milestones },
      ],
      values: { asOf: progress.asOf },
      errors,
    };
  };

  r.get('/campaigns/:id', OFFICERS_AND_AUDITORS, async (req, res) => {
    const locals = await showLocals(req, res);
    renderPage(res, SHOW_VIEW, locals, locals.errors.length ? 422 : 200);
  });

  r.get('/campaigns/:id/items', OFFICERS_AND_AUDITORS, async (req, res) => {
    const t = res.locals.t as T;
    const { progress, errors } = await progressFor(req);
    const state = queryText(req, 'kind');
    const type = queryText(req, 'type');
    const agencyId = Number(queryText(req, 'agencyId')) || null;
    const chosen = progress.items.filter(
      (i) => (!ITEM_STATES.includes(state as never) || i.state === state) && (!CAMPAIGN_ITEM_TYPES.includes(type as never) || i.itemType === type) && (agencyId === null || i.agencyId === agencyId),
    );
    const labels = await itemLabels(db, chosen);
    const agencyName = new Map(progress.agencies.map((a) => [a.id, a.name]));
    renderPage(res, 'campaigns/views/items', {
      title: t('campaigns:pages.items.title', { name: progress.campaign.name }),
      p: progress,
      items: labelled(chosen, labels, agencyName),
      mayAssign: can(req.user!, CAMPAIGNS.assign, progress.campaign),
      stateOptions: [{ value: '', label: t('campaigns:pages.items.allStates') }, ...ITEM_STATES.map((s) => ({ value: s, label: t(`campaigns:states.${s}`) }))],
      typeOptions: [{ value: '', label: t('campaigns:pages.items.allTypes') }, ...CAMPAIGN_ITEM_TYPES.map((s) => ({ value: s, label: t(`campaigns:itemTypes.${s}`) }))],
      agencyOptions: [{ value: '', label: t('campaigns:pages.items.allAgencies') }, ...progress.agencies.map((a) => ({ value: a.id, label: a.name }))],
      values: { kind: state, type, agencyId: agencyId ?? '', asOf: progress.asOf },
      errors,
    }, errors.length ? 422 : 200);
  });

  /** The assignment form's page: the item it is about, which must be one of the campaign's items needing action. */
  const assignLocals = async (req: Request, res: Response) => {
    const t = res.locals.t as T;
    const id = idParam(req);
    const progress = await campaignProgress(ctx, req.user!, id, clock.today());
    const ref = checkInput(itemRefSchema, req.method === 'POST' ? (req.body as Record<string, unknown>).item : queryText(req, 'item'));
    const item = ref.ok ? progress.items.find((i) => i.itemType === ref.value.itemType && i.itemId === ref.value.itemId && i.state !== 'cleared') : undefined;
    const label = item ? (await itemLabels(db, [item])).get(itemKey(item)) ?? null : null;
    return {
      title: t('campaigns:pages.assign.title'),
      campaign: progress.campaign,
      item: item ? { ...item, ref: `${item.itemType}:${item.itemId}`, label, agencyName: progress.agencies.find((a) => a.id === item.agencyId)?.name ?? '' } : null,
    };
  };

  r.get('/campaigns/:id/assignments/new', AUDITORS, async (req, res) => {
    const locals = await assignLocals(req, res);
    if (!locals.item) throw notFound();
    renderPage(res, ASSIGN_VIEW, { ...locals, values: { item: locals.item.ref, dueOn: addDays(clock.today(), 15) } });
  });

  r.post('/campaigns/:id/assignments', AUDITORS, ...actionForm({
    view: ASSIGN_VIEW,
    locals: assignLocals,
    read: assignmentInputSchema,
    conflictField: 'instruction',
    run: (req, input: AssignmentInput) => assignItem(ctx, callerOf(req), idParam(req), input),
    done: (req) => ({ to: `/campaigns/${idParam(req)}#assignments`, flash: 'campaigns:pages.flash.assigned' }),
  }));

  return r.router;
}
