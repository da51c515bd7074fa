import { statutoryHolidayOf, weekdayOf, type WorkingDaysResult } from '../../domain/calendar.ts';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * What the API shows of a count; the day-by-day trail stays on the page.
 * Fields are listed one by one so that a field added to the result is not published by accident.
 */
export function workingDaysJson(r: WorkingDaysResult) {
  return {
    from: r.from,
    days: r.days,
    dueOn: r.dueOn,
    provisional: r.provisional,
    provisionalYears: r.provisionalYears,
    skipped: r.skipped,
    adjustedWorkdays: r.adjustedWorkdays,
  };
}

/** The page that shows how a deadline was counted: other features link their due dates to it. */
export function workingDaysUrl(from: string, days: number): string {
  return `/calendar/working-days?from=${encodeURIComponent(from)}&days=${days}`;
}

/** A holiday's name in the page's language: statutory holidays are translated, other names shown as entered. */
export function holidayLabel(t: Translate, name: string): string {
  return name
    .split('、')
    .map((part) => {
      const code = statutoryHolidayOf(part);
      return code ? t(`calendar:holidays.${code}`) : part;
    })
    .join(t('calendar:nameSeparator'));
}

export function weekdayLabel(t: Translate, date: string): string {
  return t(`calendar:weekdays.${weekdayOf(date)}`);
}

export interface TrailRow {
  date: string;
  weekday: string;
  /** What the day counted as, in words. */
  counted: string;
  working: boolean;
  provisional: boolean;
}

/** Each day from the day after the start to the due date, as the page lists it. */
export function trailRows(t: Translate, r: WorkingDaysResult): TrailRow[] {
  return r.trail.map((d) => {
    const holiday = d.name ? holidayLabel(t, d.name) : '';
    const counted =
      d.kind === 'weekday' ? t('calendar:result.working', { ordinal: d.ordinal })
      : d.kind === 'adjusted-workday' ? t('calendar:result.adjusted', { ordinal: d.ordinal, holiday })
      : d.kind === 'holiday' ? t('calendar:result.holiday', { holiday })
      : t('calendar:result.weekend');
    return { date: d.date, weekday: weekdayLabel(t, d.date), counted, working: d.working, provisional: d.provisional };
  });
}
