import type { Catalogue } from '../../i18n/index.ts';

export const commitmentFilesCatalogue: Catalogue = {
  'zh-CN': {},
  en: {},
};
