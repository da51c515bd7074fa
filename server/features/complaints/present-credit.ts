import type { CreditRecordEntry } from './credit-record.ts';

/** A share (0..1) as the pages show it: a percentage with one decimal, or a dash when there was nothing to rate. */
export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 1000) / 10}%`;
}

/** An entry of the credit record as the API answers it: camelCase, money in fen, dates YYYY-MM-DD. */
export function creditEntryJson(e: CreditRecordEntry) {
  return {
    id: e.id,
    agencyId: e.agencyId,
    agencyName: e.agencyName,
    complaintId: e.complaintId,
    commitmentId: e.commitmentId,
    arrearsId: e.arrearsId,
    amountFen: e.amountFen,
    foundOn: e.foundOn,
    finding: e.finding,
    repaired: e.repairedOn !== null,
    repairedOn: e.repairedOn,
    repairNote: e.repairNote,
    repairFiles: e.repairFiles.map((f) => ({ id: f.id, name: f.originalName, size: f.size, mime: f.mime })),
  };
}
