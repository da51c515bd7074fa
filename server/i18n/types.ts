export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** One namespace's strings in every language; each feature keeps its own beside its code. */
export type Catalogue = Record<Language, Record<string, unknown>>;
