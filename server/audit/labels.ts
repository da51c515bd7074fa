import { formatYuan } from '../domain/money.ts';

/*
 * How an audit entry reads to a person. The convention: an action is named `<entity>.<what happened>`
 * (commitment.fulfilment_recorded), and the feature that records it labels it in its own catalogue
 * at `events.<action>`, in both languages; the fields of its before/after values are labelled at
 * `fields.<name>`. Changes show as "field: old → new", money in yuan and times in Shanghai time,
 * never as raw JSON.
 */

export interface AuditVocabulary {
  t: (key: string | string[], options?: Record<string, unknown>) => string;
  exists: (key: string) => boolean;
  /** The namespaces whose catalogues may label events: every feature's. */
  namespaces: readonly string[];
  time: (iso: string) => string;
  /** A calendar date 'YYYY-MM-DD' in the page language's style (as it is when not given). */
  date?: (date: string) => string;
  /** A file's size in words (bytes when not given). */
  fileSize?: (bytes: number) => string;
}

export interface ChangeLine {
  field: string;
  before: string | null;
  after: string | null;
}

/** The namespace that labels the action, or null when none does. */
function labellingNamespace(v: AuditVocabulary, action: string): string | null {
  return v.namespaces.find((ns) => v.exists(`${ns}:events.${action}`)) ?? null;
}

export function eventLabel(v: AuditVocabulary, action: string): string {
  const ns = labellingNamespace(v, action);
  return ns ? v.t(`${ns}:events.${action}`) : action;
}

type Flat = Map<string, unknown>;

/** Nested values as dotted paths (milestones.0.dueOn); ids are internal and left out. */
function flatten(value: unknown, prefix = '', into: Flat = new Map()): Flat {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (/^(id|\w+Ids?)$/.test(key)) continue;
      flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    }
    return into;
  }
  if (prefix) into.set(prefix, value);
  return into;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function formatValue(v: AuditVocabulary, ns: string | null, path: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const leaf = path.split('.').at(-1)!;
  if (typeof value === 'number' && /Fen$/.test(leaf)) return `${formatYuan(value)} ${v.t('money.yuan')}`;
  if (typeof value === 'boolean') return v.t(value ? 'yes' : 'no');
  if (typeof value === 'number' && leaf === 'size') return v.fileSize ? v.fileSize(value) : String(value);
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return v.time(value);
  if (typeof value === 'string' && CALENDAR_DATE.test(value)) return v.date ? v.date(value) : value;
  if (typeof value === 'string' && ns && v.exists(`${ns}:values.${leaf}.${value}`)) return v.t(`${ns}:values.${leaf}.${value}`);
  return String(value);
}

/** A dotted path in the labelling feature's words: milestones.1.dueOn → "履约节点 #2 到期日". */
function fieldLabel(v: AuditVocabulary, ns: string | null, path: string): string {
  const label = (name: string) => (ns && v.exists(`${ns}:fields.${name}`) ? v.t(`${ns}:fields.${name}`) : name);
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : label(part)))
    .join(' ');
}

/**
 * What changed between the before and after values of an entry, field by field, in a person's words,
 * in the order the entry's after values give them (what it was about, then the outcome), with what
 * only the before values hold last.
 */
export function describeChanges(v: AuditVocabulary, action: string, before: unknown, after: unknown): ChangeLine[] {
  const ns = labellingNamespace(v, action);
  const was = flatten(before);
  const now = flatten(after);
  const paths = [...new Set([...now.keys(), ...was.keys()])];
  const lines: ChangeLine[] = [];
  for (const path of paths) {
    const old = formatValue(v, ns, path, was.get(path));
    const next = formatValue(v, ns, path, now.get(path));
    if (old === next) continue;
    lines.push({ field: fieldLabel(v, ns, path), before: was.has(path) ? old : null, after: now.has(path) ? next : null });
  }
  return lines;
}

/** The actions a catalogue's `events` tree labels: `{ commitment: { created: '…' } }` → ['commitment.created']. */
export function actionsIn(events: unknown, prefix = ''): string[] {
  if (!events || typeof events !== 'object') return [];
  return Object.entries(events as Record<string, unknown>).flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : actionsIn(value, `${prefix}${key}.`)));
}
