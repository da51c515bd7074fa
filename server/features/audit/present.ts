import type { ChainVerdict } from '../../audit/chain.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * What a verification found, in one sentence: the page and `audit:verify` say the same. `time`
 * formats an instant (Shanghai time on the page, ISO on the command line).
 */
export function verdictMessage(verdict: ChainVerdict, t: T, time: (iso: string) => string): string {
  const p = verdict.problem;
  if (!p) return t('audit:chainOk', { count: verdict.entries });
  switch (p.kind) {
    case 'content-altered':
    case 'link-broken':
      return t('audit:chainBroken', { id: p.entryId, problem: t(`audit:problems.${p.kind}`) });
    case 'entries-missing':
      return p.after === null
        ? t('audit:verdict.entriesMissingFromStart', { seq: p.anchor.seq, anchoredAt: time(p.anchor.at) })
        : t('audit:verdict.entriesMissing', { after: p.after, seq: p.anchor.seq, anchoredAt: time(p.anchor.at) });
    case 'anchor-mismatch':
      return t('audit:verdict.anchorMismatch', { seq: p.anchor.seq, anchoredAt: time(p.anchor.at) });
    case 'anchor-unreadable':
      return t('audit:verdict.anchorUnreadable', { line: p.line });
    case 'no-anchor':
      return t('audit:verdict.noAnchor');
  }
}
