import { expect } from 'chai';
import { choiceColumn, creditCodeColumn, dateColumn, integerColumn, moneyColumn, parseDateText, textColumn, yesNoColumn, type CellCheck } from './columns.ts';

const valueOf = <V>(check: CellCheck<V>) => (check.ok ? check.value : check);

describe('column specs', () => {
  it('reads dates written as 2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日, and only real dates', () => {
    expect(['2026-01-05', '2026/1/5', '2026.1.5', '2026年1月5日', '2026 年 1 月 5 日', '2026-1-5'].map(parseDateText)).to.deep.equal(Array(6).fill('2026-01-05'));
    expect(['2026-02-30', '2026/13/1', '26-1-5', '2026-01-05 08:00:00', '一月五日', '46027'].map(parseDateText)).to.deep.equal(Array(6).fill(null));
    const signedOn = dateColumn({ key: 'signedOn', header: '签订日期', guide: '' });
    expect(valueOf(signedOn.parse('2028/2/29'))).to.equal('2028-02-29');
    expect(signedOn.parse('2027/2/29')).to.deep.equal({ ok: false, key: 'spreadsheets:errors.date', params: { value: '2027/2/29' } });
  });

  it('reads yuan into fen and writes a missing amount as “—”, never 0.00', () => {
    const amount = moneyColumn({ key: 'amount', header: '金额（元）', guide: '' });
    expect(['1200000', '1,200,000.00', '¥ 1234.5', '￥0.01', '0'].map((t) => valueOf(amount.parse(t)))).to.deep.equal([120_000_000, 120_000_000, 123_450, 1, 0]);
    for (const bad of ['-5', '1.001', '12元', 'abc']) expect(amount.parse(bad), bad).to.deep.equal({ ok: false, key: 'spreadsheets:errors.money', params: { value: bad } });
    expect([amount.format(null), amount.format(undefined), amount.format(0), amount.format(1_234_560)]).to.deep.equal(['—', '—', 0, 12345.6]);
    expect(amount.blankWords).to.deep.equal(['—']);
    expect(amount.decimals).to.equal(2);
  });

  it('reads 是 and 否 (and Excel’s TRUE and FALSE) and offers them as the only choices', () => {
    const isPublic = yesNoColumn({ key: 'isPublic', header: '是否公开', guide: '' });
    expect(['是', '否', 'TRUE', 'false'].map((t) => valueOf(isPublic.parse(t)))).to.deep.equal([true, false, true, false]);
    expect(isPublic.parse('可以')).to.deep.equal({ ok: false, key: 'spreadsheets:errors.yesNo', params: { value: '可以', yes: '是', no: '否' } });
    expect([isPublic.format(true), isPublic.format(false), isPublic.format(null)]).to.deep.equal(['是', '否', '']);
    expect(isPublic.choices).to.deep.equal(['是', '否']);
  });

  it('reads a choice by its word (or an alias) and writes the word', () => {
    const kind = choiceColumn({ key: 'kind', header: '类型', words: { contract: '政府合同', policy: '政策承诺' }, aliases: { contract: 'contract' }, guide: '' });
    expect([valueOf(kind.parse('政策承诺')), valueOf(kind.parse('contract'))]).to.deep.equal(['policy', 'contract']);
    expect(kind.parse('合同')).to.deep.equal({ ok: false, key: 'spreadsheets:errors.choice', params: { value: '合同', allowed: '政府合同、政策承诺' } });
    expect(kind.format('policy')).to.equal('政策承诺');
    expect(kind.choices).to.deep.equal(['政府合同', '政策承诺']);
  });

  it('checks text length, whole numbers and credit codes', () => {
    const title = textColumn({ key: 'title', header: '事项', max: 5, guide: '' });
    expect(valueOf(title.parse('五个字符号'))).to.equal('五个字符号');
    expect(title.parse('六个字符号码')).to.deep.equal({ ok: false, key: 'validation.tooLong', params: { max: 5 } });
    const seq = integerColumn({ key: 'seq', header: '序号', guide: '' });
    expect([valueOf(seq.parse('12')), seq.parse('1.5').ok, seq.format(3)]).to.deep.equal([12, false, 3]);
    const code = creditCodeColumn({ key: 'code', header: '统一社会信用代码', guide: '' });
    expect(valueOf(code.parse('91350100m000100y43'))).to.equal('91350100M000100Y43');
    expect(code.parse('91350100M000100Y44')).to.deep.equal({ ok: false, key: 'spreadsheets:errors.creditCode', params: { value: '91350100M000100Y44' } });
  });
});
