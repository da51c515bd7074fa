import type { Request } from 'express';

export const PAGE_SIZE = 50;

export interface Pager {
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export function requestedPage(req: Request): number {
  const n = Number(req.query.page);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export function makePager(total: number, page: number, pageSize = PAGE_SIZE): Pager {
  return { page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/** A link to another page of the same list, keeping every filter the user set. */
export function pageUrlFor(req: Request): (page: number) => string {
  return (page) => {
    const u = new URL(req.originalUrl, 'http://local');
    u.searchParams.set('page', String(page));
    return u.pathname + u.search;
  };
}
