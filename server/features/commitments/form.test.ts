import { expect } from 'chai';
import { ValidationError } from '../../http/errors.ts';
import { commitmentFromForm, commitmentToForm, milestoneRowCount, toFormErrors, type FormBody } from './form.ts';

const base: FormBody = {
  kind: 'contract',
  title: '智能制造产业园代建合同',
  referenceNo: 'QD-XZSP-2026-001',
  enterpriseId: '3',
  basis: '市政府常务会议纪要〔2026〕5号',
  signedOn: '2026-01-15',
  amount: '1,200,000.50',
  responsibleOfficial: '张处长',
  isPublic: 'on',
};

function errorsOf(fn: () => unknown): Array<{ path: string; key: string }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fieldErrors.map(({ path, key }) => ({ path, key }));
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('commitment form mapping', () => {
  it('turns yuan into fen, drops blank rows (an emptied existing milestone too) and keeps each row’s milestone id', () => {
    const { input, rows } = commitmentFromForm({
      ...base,
      'milestones[0][description]': '完成土地交付', 'milestones[0][dueOn]': '2026-03-01', 'milestones[0][amount]': '',
      'milestones[1][id]': '41', 'milestones[1][description]': '', 'milestones[1][dueOn]': '', 'milestones[1][amount]': ' ',
      'milestones[2][id]': '42', 'milestones[2][description]': '支付首期款', 'milestones[2][dueOn]': '2026-06-30', 'milestones[2][amount]': '400000.5',
    }, 7);
    expect(input).to.deep.include({ kind: 'contract', agencyId: 7, enterpriseId: 3, amountFen: 120_000_050, isPublic: true, signedOn: '2026-01-15' });
    expect(input.milestones).to.deep.equal([
      { id: null, description: '完成土地交付', dueOn: '2026-03-01', amountFen: null },
      { id: 42, description: '支付首期款', dueOn: '2026-06-30', amountFen: 40_000_050 },
    ]);
    expect(rows).to.deep.equal([0, 2]);
  });

  it('reads no enterprise, no basis and an unticked box as absent', () => {
    const { input } = commitmentFromForm({ ...base, enterpriseId: '', basis: '  ', isPublic: undefined, 'milestones[0][description]': '出台细则', 'milestones[0][dueOn]': '2026-05-01' }, 7);
    expect(input.enterpriseId).to.equal(null);
    expect(input.basis).to.equal(null);
    expect(input.isPublic).to.equal(false);
  });

  it('files every error under the form row it came from, money errors once', () => {
    const errors = errorsOf(() => commitmentFromForm({
      ...base,
      amount: '12.345',
      'milestones[0][description]': '', 'milestones[0][dueOn]': '', 'milestones[0][amount]': '',
      'milestones[1][description]': '第一期', 'milestones[1][dueOn]': '2026-01-01', 'milestones[1][amount]': '1.001',
      'milestones[2][description]': '第二期', 'milestones[2][dueOn]': '2026-02-30', 'milestones[2][amount]': '',
    }, 7));
    expect(errors).to.have.deep.members([
      { path: 'amount', key: 'validation.money' },
      { path: 'milestones.1.amount', key: 'validation.money' },
      { path: 'milestones.2.dueOn', key: 'validation.date' },
    ]);
  });

  it('calls an empty date missing, not malformed', () => {
    const errors = errorsOf(() => commitmentFromForm({ ...base, signedOn: '', 'milestones[0][description]': '第一期', 'milestones[0][dueOn]': '' }, 7));
    expect(errors).to.have.deep.members([
      { path: 'signedOn', key: 'validation.required' },
      { path: 'milestones.0.dueOn', key: 'validation.required' },
    ]);
  });

  it('asks for at least one milestone when every row is blank', () => {
    const errors = errorsOf(() => commitmentFromForm({ ...base, 'milestones[0][description]': '', 'milestones[0][dueOn]': '' }, 7));
    expect(errors).to.deep.equal([{ path: 'milestones', key: 'commitments:errors.noMilestones' }]);
  });

  it('maps the service’s input paths back to form rows', () => {
    const mapped = toFormErrors([
      { path: 'milestones.1.amountFen', key: 'commitments:errors.milestonesExceedTotal' },
      { path: 'referenceNo', key: 'commitments:errors.duplicateReference' },
      { path: 'amountFen', key: 'validation.tooBig' },
    ], [0, 3]);
    expect(mapped.map((e) => e.path)).to.deep.equal(['milestones.3.amount', 'referenceNo', 'amount']);
  });

  it('fills the form back from a commitment, amounts in yuan', () => {
    const body = commitmentToForm({
      kind: 'policy', title: '人才补贴', referenceNo: 'R-1', enterpriseId: null, basis: null, signedOn: '2026-01-01', amountFen: 5_000_000,
      responsibleOfficial: '王科长', isPublic: false, milestones: [{ id: 7, description: '发放', dueOn: '2026-04-01', amountFen: 250 }],
    });
    expect(body).to.include({ amount: '50000.00', enterpriseId: '', isPublic: '', 'milestones[0][id]': '7', 'milestones[0][amount]': '2.50', 'milestones[0][dueOn]': '2026-04-01' });
    expect(milestoneRowCount(body, 2)).to.equal(3);
  });
});
