/**
 * The rules of the litigation appearance register (行政机关负责人出庭应诉), free of any database or
 * HTTP: what a hearing's record must say, and the appearance and speaking rates per agency and period
 * that the rates page, the API and the integrity index read. Dates are 'YYYY-MM-DD' (Asia/Shanghai).
 */

/** A hearing as the rates count it: whether the agency's head appeared (出庭) and spoke (出声). */
export interface HearingAttendance {
  headAppeared: boolean;
  headSpoke: boolean;
}

export interface LitigationRates {
  hearings: number;
  appearanceRate: number | null;
  speakingRate: number | null;
}

const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/** 出庭率 and 出声率 over the hearings of a period: the head appeared; the head appeared and spoke. */
export function litigationRates(hearings: HearingAttendance[]): LitigationRates {
  const appeared = hearings.filter((h) => h.headAppeared).length;
  const spoke = hearings.filter((h) => h.headAppeared && h.headSpoke).length;
  return { hearings: hearings.length, appearanceRate: rate(appeared, hearings.length), speakingRate: rate(spoke, hearings.length) };
}

/** The same rates from counts already added up (by SQL): what a period's hearings, appearances and speeches give. */
export function ratesOfCounts(counts: { hearings: number; appeared: number; spoke: number }): LitigationRates {
  return { hearings: counts.hearings, appearanceRate: rate(counts.appeared, counts.hearings), speakingRate: rate(counts.spoke, counts.hearings) };
}

/** What a hearing's record says about the head, as entered. */
export interface HearingRecord extends HearingAttendance {
  hearingOn: string;
  headName: string | null;
  appearedInstead: string | null;
}

export type HearingProblem = 'future' | 'beforeFiling' | 'spokeWithoutAppearing' | 'headNameMissing' | 'insteadMissing' | 'insteadWhileAppeared';

/**
 * What is wrong with a hearing's record, field by field: a hearing is recorded once held (never a
 * future date, never before the case was filed); the head can only speak in court when present; a
 * head who appeared is named, and when the head did not, who appeared instead is said (and only then).
 */
export function hearingProblems(h: HearingRecord, filedOn: string, today: string): Array<{ field: keyof HearingRecord; problem: HearingProblem }> {
  const problems: Array<{ field: keyof HearingRecord; problem: HearingProblem }> = [];
  if (h.hearingOn > today) problems.push({ field: 'hearingOn', problem: 'future' });
  else if (h.hearingOn < filedOn) problems.push({ field: 'hearingOn', problem: 'beforeFiling' });
  if (h.headSpoke && !h.headAppeared) problems.push({ field: 'headSpoke', problem: 'spokeWithoutAppearing' });
  if (h.headAppeared && !h.headName) problems.push({ field: 'headName', problem: 'headNameMissing' });
  if (!h.headAppeared && !h.appearedInstead) problems.push({ field: 'appearedInstead', problem: 'insteadMissing' });
  if (h.headAppeared && h.appearedInstead) problems.push({ field: 'appearedInstead', problem: 'insteadWhileAppeared' });
  return problems;
}

/** A case is pending until its outcome is recorded with the date it concluded. */
export type CaseStatus = 'pending' | 'concluded';
export const CASE_STATUSES: readonly CaseStatus[] = ['pending', 'concluded'];

export function caseStatus(c: { concludedOn: string | null }): CaseStatus {
  return c.concludedOn ? 'concluded' : 'pending';
}

/** The period the rates are shown for when none is asked: the year to date (from the first of January to the day given). */
export function defaultPeriod(until: string): { from: string; to: string } {
  return { from: `${until.slice(0, 4)}-01-01`, to: until };
}
