import type { Knex } from 'knex';
import { whereContains } from '../../db/dialect.ts';

/*
 * Choosing an enterprise (a commitment's counterparty, an arrears' creditor) among thousands: a
 * search by name or credit code on the server, never a list of them all. Without JavaScript it is a
 * step of the form itself: the search button (or Enter in the search box) posts the form, which comes
 * back with every value kept and the matches to choose from; app.js fetches the same matches in place.
 */

/** A posted form's fields, as the body parser leaves them. */
type FormBody = Record<string, unknown>;

/** Matches shown for one search: enough to pick from; a longer list asks for a closer query. */
export const ENTERPRISE_MATCHES = 20;

export interface EnterpriseOption {
  id: number;
  name: string;
  creditCode: string;
}

export interface EnterprisePicker {
  /** The enterprise the form holds now, when it is not among the matches. */
  chosen: EnterpriseOption | null;
  query: string;
  /** The query whose matches are shown (null: none searched), sent back so that saving knows they were seen. */
  searched: string | null;
  matches: EnterpriseOption[];
  total: number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : Array.isArray(v) ? text(v[0]) : '');

/**
 * Whether a posted form asks for a search rather than to be saved: the search button was pressed, or
 * a query was typed and the form sent (Enter) before its matches were seen, so that a name typed
 * into the search box is never silently dropped by a save.
 */
export function isEnterpriseSearch(body: FormBody): boolean {
  const query = text(body.enterpriseQuery);
  return body.enterpriseSearch !== undefined || (query !== '' && query !== text(body.enterpriseSearched));
}

/** Enterprises whose name or unified social credit code contains the query, by name. */
export async function findEnterprises(db: Knex, query: string): Promise<{ matches: EnterpriseOption[]; total: number }> {
  if (!query) return { matches: [], total: 0 };
  const matching = whereContains(db('enterprises'), ['name', 'credit_code'], query);
  const [{ n }] = await matching.clone().count({ n: '*' });
  const rows: Array<{ id: number; name: string; credit_code: string }> = await matching.clone().orderBy('name').limit(ENTERPRISE_MATCHES).select('id', 'name', 'credit_code');
  return { matches: rows.map((e) => ({ id: Number(e.id), name: e.name, creditCode: e.credit_code })), total: Number(n) };
}

/** What the picker shows for the form's values: the matches of its query and the enterprise it holds. */
export async function enterprisePicker(db: Knex, values: FormBody): Promise<EnterprisePicker> {
  const query = text(values.enterpriseQuery);
  const { matches, total } = await findEnterprises(db, query);
  const chosenId = Number(text(values.enterpriseId));
  const row = Number.isSafeInteger(chosenId) && chosenId > 0 && !matches.some((m) => m.id === chosenId) ? await db('enterprises').where({ id: chosenId }).first('id', 'name', 'credit_code') : undefined;
  return {
    chosen: row ? { id: Number(row.id), name: row.name, creditCode: row.credit_code } : null,
    query,
    searched: query || null,
    matches,
    total,
  };
}
