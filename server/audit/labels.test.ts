import { expect } from 'chai';
import { actionsIn, describeChanges, eventLabel, type AuditVocabulary } from './labels.ts';

const strings: Record<string, string> = {
  'ledger:events.commitment.handed_over': '责任人变更',
  'ledger:fields.responsibleOfficial': '责任人',
  'ledger:fields.amountFen': '金额',
  'ledger:fields.milestones': '履约节点',
  'ledger:fields.dueOn': '到期日',
  'ledger:fields.isPublic': '是否公开',
  'ledger:values.status.partial': '部分履行',
  'ledger:values.ownerType.ledger.fulfilment': '履约记录',
  'ledger:fields.ownerType': '材料所属',
  'ledger:fields.files': '文件',
  'ledger:fields.size': '大小',
  'ledger:fields.milestone': '履约节点',
  'ledger:fields.signedOn': '签订日期',
  'ledger:fields.status': '状态',
  'money.yuan': '元',
  yes: '是',
  no: '否',
};

const vocabulary: AuditVocabulary = {
  t: (key) => strings[Array.isArray(key) ? key[0]! : key] ?? String(key),
  exists: (key) => key in strings,
  namespaces: ['other', 'ledger'],
  time: (iso) => `[${iso.slice(0, 16).replace('T', ' ')}]`,
  date: (date) => `<${date}>`,
  fileSize: (bytes) => `${bytes / 1024} KB`,
};

describe('audit entry labels', () => {
  it('labels an action from the namespace that defines it, and shows an unknown action as it is', () => {
    expect(eventLabel(vocabulary, 'commitment.handed_over')).to.equal('责任人变更');
    expect(eventLabel(vocabulary, 'commitment.unheard_of')).to.equal('commitment.unheard_of');
  });

  it('shows what changed as field: old → new in the feature’s words, leaving unchanged fields and ids out', () => {
    const lines = describeChanges(vocabulary, 'commitment.handed_over', { responsibleOfficial: '王科长', handoverId: 3 }, { responsibleOfficial: '李主任', handoverId: 3, milestoneId: 9 });
    expect(lines).to.deep.equal([{ field: '责任人', before: '王科长', after: '李主任' }]);
  });

  it('shows money in yuan, booleans as words, known codes by their label and times in local time', () => {
    const lines = describeChanges(
      vocabulary,
      'commitment.handed_over',
      { amountFen: 1_200_000, isPublic: true, status: 'pending' },
      { amountFen: null, isPublic: false, status: 'partial', recordedAt: '2026-11-29T08:30:00.000Z' },
    );
    expect(lines).to.deep.equal([
      { field: '金额', before: '12,000.00 元', after: null },
      { field: '是否公开', before: '是', after: '否' },
      { field: '状态', before: 'pending', after: '部分履行' },
      { field: 'recordedAt', before: null, after: '[2026-11-29 08:30]' },
    ]);
  });

  it('says what an entry was about before its outcome, dates in the page’s style', () => {
    const lines = describeChanges(vocabulary, 'commitment.handed_over', { status: 'pending' }, { milestone: '#2 支付尾款', signedOn: '2026-01-15', status: 'partial' });
    expect(lines).to.deep.equal([
      { field: '履约节点', before: null, after: '#2 支付尾款' },
      { field: '签订日期', before: null, after: '<2026-01-15>' },
      { field: '状态', before: 'pending', after: '部分履行' },
    ]);
  });

  it('names what evidence belongs to and each file’s size', () => {
    const lines = describeChanges(vocabulary, 'commitment.handed_over', null, { ownerType: 'ledger.fulfilment', ownerId: 4, files: [{ fileId: 9, name: '凭证.pdf', size: 2048 }] });
    expect(lines).to.deep.equal([
      { field: '材料所属', before: null, after: '履约记录' },
      { field: '文件 #1 name', before: null, after: '凭证.pdf' },
      { field: '文件 #1 大小', before: null, after: '2 KB' },
    ]);
  });

  it('numbers the rows of a list, so an edited milestone reads as “履约节点 #2 到期日”', () => {
    const before = { milestones: [{ description: 'A', dueOn: '2026-12-01' }, { description: 'B', dueOn: '2027-01-01' }] };
    const after = { milestones: [{ description: 'A', dueOn: '2026-12-01' }, { description: 'B', dueOn: '2027-02-01' }] };
    expect(describeChanges(vocabulary, 'commitment.handed_over', before, after)).to.deep.equal([{ field: '履约节点 #2 到期日', before: '<2027-01-01>', after: '<2027-02-01>' }]);
  });

  it('lists every field of a creation with nothing before it', () => {
    expect(describeChanges(vocabulary, 'commitment.handed_over', null, { responsibleOfficial: '张处长' })).to.deep.equal([{ field: '责任人', before: null, after: '张处长' }]);
  });

  it('lists the actions a catalogue labels, for the audit log’s action filter', () => {
    expect(actionsIn({ commitment: { created: '登记承诺', year: { loaded: '载入' } }, logout: '退出登录' })).to.deep.equal(['commitment.created', 'commitment.year.loaded', 'logout']);
    expect(actionsIn(undefined)).to.deep.equal([]);
  });
});
