import { expect } from 'chai';
import { authorize, can, canEditRecord, canReadRecord, definePolicy, listScope } from './policy.ts';
import { admin, auditor, enterpriseX, enterpriseY, officerA, officerB, recordOfAWithX } from '../../test/users.ts';


describe('access policy', () => {
  it('lets the agency’s officers, the counterparty and auditors read a record, nobody else', () => {
    expect([admin, auditor, officerA, officerB, enterpriseX, enterpriseY].map((u) => canReadRecord(u, recordOfAWithX))).to.deep.equal([false, true, true, false, true, false]);
  });

  it('lets only the agency’s officers edit it', () => {
    expect([admin, auditor, officerA, officerB, enterpriseX].map((u) => canEditRecord(u, recordOfAWithX))).to.deep.equal([false, false, true, false, false]);
  });

  it('scopes lists: auditors all, officers their agency, enterprises themselves, admins nothing', () => {
    expect(listScope(auditor)).to.deep.equal({ kind: 'all' });
    expect(listScope(officerA)).to.deep.equal({ kind: 'agency', agencyId: 10 });
    expect(listScope(enterpriseX)).to.deep.equal({ kind: 'enterprise', enterpriseId: 20 });
    expect(listScope(admin)).to.deep.equal({ kind: 'none' });
  });

  const RECORDS = definePolicy<{ agencyId: number | null }, 'read' | 'change'>('policy-test-records', { read: canReadRecord, change: canEditRecord });

  it('denies an action nobody defined, and anyone not signed in', () => {
    expect(can(auditor, 'policy-test-records.delete', recordOfAWithX)).to.equal(false);
    expect(can(undefined, RECORDS.read, recordOfAWithX)).to.equal(false);
  });

  it('refuses to define the same action twice', () => {
    definePolicy('policy-test', { look: () => true });
    expect(() => definePolicy('policy-test', { look: () => false })).to.throw('policy-test.look is defined twice');
  });

  it('answers 404 for a record the user may not read and 403 for an action the reader may not take', () => {
    const status = (fn: () => void) => {
      try {
        fn();
        return 200;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    expect(status(() => authorize(officerB, RECORDS.change, recordOfAWithX, RECORDS.read))).to.equal(404);
    expect(status(() => authorize(officerA, RECORDS.change, null, RECORDS.read))).to.equal(404);
    expect(status(() => authorize(enterpriseX, RECORDS.change, recordOfAWithX, RECORDS.read))).to.equal(403);
    expect(status(() => authorize(officerA, RECORDS.change, recordOfAWithX, RECORDS.read))).to.equal(200);
  });
});
