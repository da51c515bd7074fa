import type { AgencyRates, CaseFacts, HearingFacts } from './queries.ts';
import type { RatesReport } from './service/detail.ts';

/** The register as the API answers it: camelCase, dates YYYY-MM-DD, rates as fractions (null with no hearing) beside the counts they rest on. */

export function hearingJson(h: HearingFacts) {
  return { id: h.id, hearingOn: h.hearingOn, headAppeared: h.headAppeared, headSpoke: h.headSpoke, headName: h.headName, appearedInstead: h.appearedInstead, note: h.note };
}

export function caseJson(c: CaseFacts, hearings: HearingFacts[]) {
  return {
    id: c.id,
    caseNo: c.caseNo,
    court: c.court,
    agencyId: c.agencyId,
    agencyName: c.agencyName,
    plaintiff: c.plaintiff,
    plaintiffEnterpriseId: c.plaintiffEnterpriseId,
    cause: c.cause,
    filedOn: c.filedOn,
    outcome: c.outcome,
    concludedOn: c.concludedOn,
    status: c.status,
    hearings: hearings.map(hearingJson),
  };
}

function agencyRatesJson(r: AgencyRates) {
  return { agencyId: r.agencyId, agencyName: r.agencyName, hearings: r.hearings, headAppeared: r.appeared, headSpoke: r.spoke, appearanceRate: r.appearanceRate, speakingRate: r.speakingRate };
}

export function ratesJson(report: RatesReport) {
  const t = report.total;
  return {
    from: report.period.from,
    to: report.period.to,
    agencyId: report.agencyId,
    hearings: t.hearings,
    headAppeared: t.appeared,
    headSpoke: t.spoke,
    appearanceRate: t.appearanceRate,
    speakingRate: t.speakingRate,
    byAgency: report.agencies.map(agencyRatesJson),
  };
}
