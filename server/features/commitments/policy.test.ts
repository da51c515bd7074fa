import { expect } from 'chai';
import { can } from '../../auth/policy.ts';
import { COMMITMENTS } from './policy.ts';
import { admin, auditor, enterpriseX, enterpriseY, officerA, officerB, recordOfAWithX as commitmentOfAToX } from '../../../test/users.ts';

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
