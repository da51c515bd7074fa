import type { Catalogue } from '../../i18n/index.ts';

export const commitmentPagesCatalogue: Catalogue = {
  'zh-CN': {},
  en: {},
};
