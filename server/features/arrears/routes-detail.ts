import { z } from 'zod';
import { guardedRouter } from '../../auth/policy.ts';
import { BUSINESS_READERS, OFFICERS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { checkUploads } from '../../evidence/index.ts';
import { callerOf } from '../../http/actor.ts';
import { actionForm } from '../../http/forms.ts';
import { idParam } from '../../http/params.ts';
import { renderPage } from '../../http/render.ts';
import { SHOW_VIEW, showPageLocals } from './pages.ts';
import { attachArrearsEvidence } from './service/evidence.ts';

/**
 * The arrears page (the officers of the debtor agency, the auditors, the creditor; others 404) and its
 * upload form for the record's own evidence (the agency's officers). The page's other actions are
 * links to the payments slice's forms.
 */
export function arrearsDetailRoutes(ctx: AppContext) {
  const r = guardedRouter();
  const locals = showPageLocals(ctx);

  r.get('/arrears/:id', BUSINESS_READERS, async (req, res) => {
    const page = await locals(req, res);
    renderPage(res, SHOW_VIEW, page, page.errors.length ? 422 : 200);
  });

  r.post('/arrears/:id/files', OFFICERS, ...actionForm({
    view: SHOW_VIEW,
    locals,
    form: () => 'evidence',
    read: z.object({}),
    files: { field: 'evidence', check: checkUploads },
    conflictField: 'evidence',
    run: (req, _input, files) => attachArrearsEvidence(ctx, callerOf(req), idParam(req), files),
    done: (req) => ({ to: `/arrears/${idParam(req)}#evidence`, flash: 'arrears:detail.flash.evidenceAttached' }),
  }));

  return r.router;
}
