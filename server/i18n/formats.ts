import { TIME_ZONE } from '../domain/dates.ts';
import type { Language } from './types.ts';

/*
 * Dates and times in one style per language, on every page and in every timeline:
 * Chinese 2026-11-29 and 2026-11-29 14:05; English 29 Nov 2026 and 29 Nov 2026, 14:05.
 * Times are shown in Asia/Shanghai, whatever the server's own time zone.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date 'YYYY-MM-DD' in the language's style; anything else is shown as it is. */
export function formatDate(date: string | null | undefined, lang: Language): string {
  if (!date) return '';
  const m = CALENDAR_DATE.exec(date);
  if (!m || lang !== 'en') return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

// h23: midnight is 00:05, never 24:05 (what `hour12: false` gives in some locales).
const shanghaiParts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** An instant (ISO string) as its Shanghai date and time to the minute (or the second), in the language's style. */
export function formatTime(iso: string | null | undefined, lang: Language, options: { seconds?: boolean } = {}): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const part = Object.fromEntries(shanghaiParts.formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${part.year}-${part.month}-${part.day}`;
  const clock = `${part.hour}:${part.minute}${options.seconds ? `:${part.second}` : ''}`;
  return lang === 'en' ? `${formatDate(date, lang)}, ${clock}` : `${date} ${clock}`;
}
