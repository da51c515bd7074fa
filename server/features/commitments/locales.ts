import type { Catalogue } from '../../i18n/index.ts';

export const commitmentsCatalogue: Catalogue = {
  'zh-CN': {},
  en: {},
};
