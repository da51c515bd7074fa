import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { formatYuan } from '../domain/money.ts';
import { activeNavHref, type NavByRole } from './nav.ts';
import { describeChanges, eventLabel, type AuditVocabulary } from '../audit/labels.ts';
import { formatDate, formatTime } from '../i18n/formats.ts';

/** A file's size as a person reads it: bytes, KB or MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const withViewLocals = new WeakSet<Response>();

/** Whether the response has the view locals; i18next sets `t` on its own, before them, so `t` does not tell. */
export function hasViewLocals(res: Response): boolean {
  return withViewLocals.has(res);
}

/** What every view may use: translation, the user, the CSRF token, navigation and formatters. */
export function setViewLocals(req: Request, res: Response, config: Config): void {
  withViewLocals.add(res);
  const lang = req.language === 'en' ? 'en' : 'zh-CN';
  const url = new URL(req.originalUrl, 'http://local');
  const langUrl = (target: string) => {
    const u = new URL(url.toString());
    u.searchParams.set('lang', target);
    return u.pathname + u.search;
  };
  const time = (iso: string | null | undefined) => formatTime(iso, lang);
  const date = (value: string | null | undefined) => formatDate(value, lang);
  const vocabulary: AuditVocabulary = {
    t: req.t as AuditVocabulary['t'],
    exists: (key) => req.i18n.exists(key),
    namespaces: (req.app.locals.eventNamespaces as string[] | undefined) ?? [],
    time,
    date,
    fileSize: formatFileSize,
  };
  const user = req.user ?? null;
  const nav = user && !req.session?.mfaSetupRequired && !user.mustChangePassword ? (req.app.locals.navByRole as NavByRole)[user.role] : [];
  Object.assign(res.locals, {
    t: req.t,
    lang,
    user,
    nav,
    activeNav: activeNavHref(nav, req.path),
    currentPath: req.path,
    langUrl,
    yuan: formatYuan,
    time,
    date,
    fileSize: formatFileSize,
    // Field partials record their label and id here as the page renders, so that the error summary can link to them.
    fieldTargets: {},
    eventLabel: (action: string) => eventLabel(vocabulary, action),
    changesOf: (e: { action: string; before: unknown; after: unknown }) => describeChanges(vocabulary, e.action, e.before, e.after),
    production: config.env === 'production',
    // An upload form carries its CSRF token in its URL: its body is read only after the token is checked.
    uploadAction: (url: string) => `${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(String(res.locals.csrfToken ?? ''))}`,
  });
  if (res.locals.csrfToken === undefined) res.locals.csrfToken = '';
}

export function viewLocals(config: Config): RequestHandler {
  return (req, res, next) => {
    setViewLocals(req, res, config);
    next();
  };
}
