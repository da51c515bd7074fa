import { expect } from 'chai';
import { caseStatus, defaultPeriod, hearingProblems, litigationRates, ratesOfCounts, type HearingRecord } from './rules.ts';

describe('litigation rules', () => {
  it('computes appearance and speaking rates of agency heads', () => {
    expect(litigationRates([{ headAppeared: true, headSpoke: true }, { headAppeared: true, headSpoke: false }, { headAppeared: false, headSpoke: true }, { headAppeared: true, headSpoke: true }])).to.deep.equal({ hearings: 4, appearanceRate: 0.75, speakingRate: 0.5 });
    expect(litigationRates([])).to.deep.equal({ hearings: 0, appearanceRate: null, speakingRate: null });
  });

  it('gives the same rates from counts added up elsewhere', () => {
    expect(ratesOfCounts({ hearings: 4, appeared: 3, spoke: 2 })).to.deep.equal({ hearings: 4, appearanceRate: 0.75, speakingRate: 0.5 });
    expect(ratesOfCounts({ hearings: 0, appeared: 0, spoke: 0 }).speakingRate).to.equal(null);
  });

  describe('a hearing record', () => {
    const today = '2026-06-10';
    const filedOn = '2026-03-01';
    const appeared: HearingRecord = { hearingOn: '2026-05-20', headAppeared: true, headSpoke: true, headName: '张局长', appearedInstead: null };
    const fieldsOf = (h: Partial<HearingRecord>) => hearingProblems({ ...appeared, ...h }, filedOn, today).map((p) => `${p.field}:${p.problem}`);

    it('accepts a head who appeared and spoke, and a deputy standing in with the head named or not', () => {
      expect(fieldsOf({})).to.deep.equal([]);
      expect(fieldsOf({ headAppeared: false, headSpoke: false, headName: null, appearedInstead: '李副局长' })).to.deep.equal([]);
      expect(fieldsOf({ headAppeared: false, headSpoke: false, appearedInstead: '法制科科长' })).to.deep.equal([]);
    });

    it('takes today and the filing day, but no future day and none before the case was filed', () => {
      expect(fieldsOf({ hearingOn: today })).to.deep.equal([]);
      expect(fieldsOf({ hearingOn: filedOn })).to.deep.equal([]);
      expect(fieldsOf({ hearingOn: '2026-06-11' })).to.deep.equal(['hearingOn:future']);
      expect(fieldsOf({ hearingOn: '2026-02-28' })).to.deep.equal(['hearingOn:beforeFiling']);
    });

    it('refuses a head who spoke without appearing, and asks who appeared instead', () => {
      expect(fieldsOf({ headAppeared: false, headSpoke: true, headName: null, appearedInstead: null })).to.deep.equal(['headSpoke:spokeWithoutAppearing', 'appearedInstead:insteadMissing']);
    });

    it('wants the name of a head who appeared, and no stand-in beside them', () => {
      expect(fieldsOf({ headName: null })).to.deep.equal(['headName:headNameMissing']);
      expect(fieldsOf({ appearedInstead: '律师' })).to.deep.equal(['appearedInstead:insteadWhileAppeared']);
    });
  });

  it('calls a case concluded once it has a conclusion date', () => {
    expect(caseStatus({ concludedOn: null })).to.equal('pending');
    expect(caseStatus({ concludedOn: '2026-01-01' })).to.equal('concluded');
  });

  it('shows the year to date when no period is asked', () => {
    expect(defaultPeriod('2026-06-10')).to.deep.equal({ from: '2026-01-01', to: '2026-06-10' });
  });
});
