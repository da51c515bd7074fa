import { authorize, guardedRouter } from '../../auth/policy.ts';
import { OFFICERS_AND_AUDITORS } from '../../auth/roles.ts';
import type { AppContext } from '../../context.ts';
import { idParam } from '../../http/params.ts';
import { agencyCreditRecord } from './credit-record.ts';
import { CREDIT_RECORD } from './policy-credit.ts';
import { creditEntryJson } from './present-credit.ts';

/**
 * `GET /api/v1/agencies/:id/credit-record`: the agency's government credit record, entries not yet
 * repaired first. Auditors read any agency's, an officer its own agency's (another answers 404);
 * enterprises and admins get 403.
 */
export function creditRecordApiRoutes({ db }: AppContext) {
  const r = guardedRouter();

  r.get('/agencies/:id/credit-record', OFFICERS_AND_AUDITORS, async (req, res) => {
    const agencyId = idParam(req);
    const agency = await db('agencies').where({ id: agencyId }).first('id', 'name');
    authorize(req.user!, CREDIT_RECORD.read, agency ? { agencyId } : null, CREDIT_RECORD.read);
    const entries = await agencyCreditRecord(db, agencyId);
    res.json({ agencyId, agencyName: agency.name, items: entries.map(creditEntryJson) });
  });

  return r.router;
}
