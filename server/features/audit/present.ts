import { SYSTEM_ACTOR, type ChainVerdict } from '../../audit/chain.ts';
import type { AuditEntityRegistry } from '../../audit/entities.ts';
import type { AuditEntityName } from '../../context.ts';
import type { AuditRow } from './queries.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * What a verification found, in one sentence: the page and `audit:verify` say the same. `time`
 * formats an instant (Shanghai time on the page, ISO on the command line).
 */
export function verdictMessage(verdict: ChainVerdict, t: T, time: (iso: string) => string): string {
  const p = verdict.problem;
  if (!p) return t('audit:chainOk', { count: verdict.entries });
  switch (p.kind) {
    case 'content-altered':
    case 'link-broken':
      return t('audit:chainBroken', { id: p.entryId, problem: t(`audit:problems.${p.kind}`) });
    case 'entries-missing':
      return p.after === null
        ? t('audit:verdict.entriesMissingFromStart', { seq: p.anchor.seq, anchoredAt: time(p.anchor.at) })
        : t('audit:verdict.entriesMissing', { after: p.after, seq: p.anchor.seq, anchoredAt: time(p.anchor.at) });
    case 'anchor-mismatch':
      return t('audit:verdict.anchorMismatch', { seq: p.anchor.seq, anchoredAt: time(p.anchor.at) });
    case 'anchor-unreadable':
      return t('audit:verdict.anchorUnreadable', { line: p.line });
    case 'no-anchor':
      return t('audit:verdict.noAnchor');
  }
}

/** What an entry is about, in words: the kind of record, its name (or number) and its page when auditors may open it. */
export interface EntryObject {
  kind: string;
  name: string | null;
  href: string | null;
}

/** An audit entry as the log page and its exports show it. */
export interface AuditEntryView {
  id: number;
  at: string;
  actor: string;
  /** The account name, when it says more than the actor's display name. */
  username: string | null;
  action: string;
  object: EntryObject;
  before: unknown;
  after: unknown;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export function entryView(row: AuditRow, registry: AuditEntityRegistry, nameOf: (type: string, id: string | null) => AuditEntityName | null, t: T): AuditEntryView {
  const type = registry.get(row.entity_type);
  const named = nameOf(row.entity_type, row.entity_id);
  const byTheSystem = row.actor_id === null && row.actor_name === SYSTEM_ACTOR.username;
  const actor = row.display_name ?? (byTheSystem ? t('audit.system') : (row.actor_name ?? '—'));
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor,
    username: row.actor_name && row.actor_name !== actor && !byTheSystem ? row.actor_name : null,
    action: row.action,
    object: {
      kind: type ? t(type.labelKey) : row.entity_type,
      name: named?.name ?? (row.entity_id === null ? null : `#${row.entity_id}`),
      href: named?.href ?? null,
    },
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    ip: row.ip,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
