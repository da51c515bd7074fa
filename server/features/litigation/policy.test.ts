import { expect } from 'chai';
import { can } from '../../auth/policy.ts';
import { admin, auditor, enterpriseX, officerA, officerB } from '../../../test/users.ts';
import { LITIGATION } from './policy.ts';

describe('litigation policy', () => {
  const caseOfA = { agencyId: 10 };

  it('lets the defendant agency officers read, record, edit and add hearings', () => {
    for (const action of Object.values(LITIGATION)) expect(can(officerA, action, caseOfA), action).to.equal(true);
  });

  it('lets auditors read every case but change none', () => {
    expect(can(auditor, LITIGATION.read, caseOfA)).to.equal(true);
    for (const action of [LITIGATION.record, LITIGATION.edit, LITIGATION.recordHearing]) expect(can(auditor, action, caseOfA), action).to.equal(false);
  });

  it('gives another agency, the enterprises and the admins nothing', () => {
    for (const user of [officerB, enterpriseX, admin]) {
      for (const action of Object.values(LITIGATION)) expect(can(user, action, caseOfA), `${user.username} ${action}`).to.equal(false);
    }
  });
});
