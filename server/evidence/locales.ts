import type { Catalogue } from '../i18n/types.ts';

/** Strings of the evidence upload field, its file list and the reasons a file is refused. */
export const evidenceCatalogue: Catalogue = {
  'zh-CN': {
    upload: {
      label: '证明材料',
      hint: '可选多个文件（最多 {{maxFiles}} 个）：{{types}}，每个不超过 {{maxMb}} MB；文件类型按内容核验。',
    },
    list: { label: '证明材料文件' },
    entity: '证明材料',
    events: { evidence: { downloaded: '下载证明材料' } },
    fields: { name: '文件名', sha256: 'SHA-256', ownerType: '材料所属' },
    refused: {
      tooLarge: '“{{name}}”超过 {{max}} MB，未上传。',
      empty: '“{{name}}”是空文件。',
      unknownType: '无法识别“{{name}}”的文件类型：只接受 {{allowed}} 文件。',
      typeNotAllowed: '“{{name}}”的内容是 {{detected}} 文件，不在允许的类型之列（{{allowed}}）。',
      typeMismatch: '“{{name}}”的内容是 {{detected}} 文件，与扩展名“{{extension}}”不符。',
      tooManyFiles: '“{{name}}”未上传：一次最多上传 {{max}} 个文件。',
    },
  },
  en: {
    upload: {
      label: 'Evidence files',
      hint: 'One or more files (at most {{maxFiles}}): {{types}}, at most {{maxMb}} MB each; the type is checked from the content.',
    },
    list: { label: 'Evidence files' },
    entity: 'Evidence file',
    events: { evidence: { downloaded: 'Evidence downloaded' } },
    fields: { name: 'File name', sha256: 'SHA-256', ownerType: 'Evidence for' },
    refused: {
      tooLarge: '“{{name}}” is larger than {{max}} MB and was not uploaded.',
      empty: '“{{name}}” is empty.',
      unknownType: 'The type of “{{name}}” could not be recognised: only {{allowed}} files are accepted.',
      typeNotAllowed: '“{{name}}” is a {{detected}} file, which is not accepted ({{allowed}}).',
      typeMismatch: '“{{name}}” is a {{detected}} file; its name ends in “{{extension}}”.',
      tooManyFiles: '“{{name}}” was not uploaded: at most {{max}} files can be uploaded at once.',
    },
  },
};
