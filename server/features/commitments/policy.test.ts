import { expect } from 'chai';
import { can } from '../../auth/policy.ts';
import type { SessionUser } from '../../auth/types.ts';
import { COMMITMENTS } from './policy.ts';

const base = { displayName: 'x', agencyName: null, enterpriseName: null, mustChangePassword: false, totpEnabled: false };
const admin: SessionUser = { ...base, id: 1, username: 'admin', role: 'admin', agencyId: null, enterpriseId: null };
const auditor: SessionUser = { ...base, id: 2, username: 'auditor', role: 'auditor', agencyId: null, enterpriseId: null };
const officerA: SessionUser = { ...base, id: 3, username: 'a', role: 'officer', agencyId: 10, enterpriseId: null };
const officerB: SessionUser = { ...base, id: 4, username: 'b', role: 'officer', agencyId: 11, enterpriseId: null };
const enterpriseX: SessionUser = { ...base, id: 5, username: 'x', role: 'enterprise', agencyId: null, enterpriseId: 20 };
const enterpriseY: SessionUser = { ...base, id: 6, username: 'y', role: 'enterprise', agencyId: null, enterpriseId: 21 };
const commitmentOfAToX = { agencyId: 10, enterpriseId: 20 };
const everyone = [admin, auditor, officerA, officerB, enterpriseX, enterpriseY];
const allowed = (action: string) => everyone.filter((u) => can(u, action, commitmentOfAToX)).map((u) => u.id);

describe('commitments policy', () => {
  it('lets auditors, the agency’s officers and the counterparty read a commitment', () => {
    expect(allowed(COMMITMENTS.read)).to.deep.equal([2, 3, 5]);
  });

  it('lets only the agency’s officers keep its ledger', () => {
    for (const action of [COMMITMENTS.create, COMMITMENTS.edit, COMMITMENTS.fulfil, COMMITMENTS.requestWaiver, COMMITMENTS.handOver, COMMITMENTS.terminate]) {
      expect(allowed(action), action).to.deep.equal([3]);
    }
  });

  it('lets auditors verify, the agency or an auditor record a breach, and only the counterparty respond', () => {
    expect(allowed(COMMITMENTS.verify)).to.deep.equal([2]);
    expect(allowed(COMMITMENTS.recordBreach)).to.deep.equal([2, 3]);
    expect(allowed(COMMITMENTS.respond)).to.deep.equal([5]);
  });
});
