import type { Catalogue } from '../i18n/types.ts';

/** The `spreadsheets` namespace: what the readers and the checker say about an uploaded file. */
export const spreadsheetsCatalogue: Catalogue = {
  'zh-CN': {
    errors: {
      date: '“{{value}}”不是有效日期，应写成 YYYY-MM-DD（如 2026-01-05），也可写成 2026/1/5 或 2026年1月5日。',
      money: '“{{value}}”不是有效金额：以元为单位，不能为负，最多两位小数。',
      integer: '“{{value}}”不是有效的整数。',
      yesNo: '“{{value}}”无效，应填“{{yes}}”或“{{no}}”。',
      choice: '“{{value}}”无效，应为 {{allowed}} 之一。',
      creditCode: '“{{value}}”不是有效的统一社会信用代码。',
      missingColumn: '缺少列“{{column}}”：请使用模板的表头（第 1 行）。',
      noRows: '文件中没有数据行：第 1 行应为表头，数据从第 2 行起。',
      tooManyRows: '文件超过 {{max}} 行数据，请分成几个文件上传。',
      tooManyColumns: '文件在第 {{max}} 列之后还有内容，请只保留模板中的列。',
      cellTooLong: '单元格内容超过 {{max}} 个字符（Excel 单元格的上限），文件未读取完。',
      tooLarge: '文件解压后超过 {{maxMegabytes}} MB，请分成几个文件上传。',
      sharedStringsTooLarge: '工作簿中的文字解压后超过 {{maxMegabytes}} MB，请分成几个文件上传。',
      zipBomb: '文件的压缩比异常（{{ratio}} 倍，上限 {{max}} 倍），不像正常的 Excel 工作簿，未读取。',
      notUtf8: '文件不是 UTF-8 编码：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件。',
      unreadable: '无法读取这个文件：请确认它是用模板填写的 .xlsx 文件或 UTF-8 编码的 .csv 文件。',
    },
  },
  en: {
    errors: {
      date: '“{{value}}” is not a valid date; write it as YYYY-MM-DD (such as 2026-01-05), 2026/1/5 or 2026年1月5日.',
      money: '“{{value}}” is not a valid amount: yuan, not negative, at most two decimals.',
      integer: '“{{value}}” is not a whole number.',
      yesNo: '“{{value}}” is not valid; use “{{yes}}” (yes) or “{{no}}” (no).',
      choice: '“{{value}}” is not valid; use one of {{allowed}}.',
      creditCode: '“{{value}}” is not a valid unified social credit code.',
      missingColumn: 'The column “{{column}}” is missing: use the template’s header (row 1).',
      noRows: 'The file has no data rows: row 1 is the header, and the data starts on row 2.',
      tooManyRows: 'The file has more than {{max}} data rows; split it into several files.',
      tooManyColumns: 'The file has content beyond column {{max}}; keep only the template’s columns.',
      cellTooLong: 'A cell holds more than {{max}} characters (the most an Excel cell can hold); the file was not read further.',
      tooLarge: 'The file unpacks to more than {{maxMegabytes}} MB; split it into several files.',
      sharedStringsTooLarge: 'The text of the workbook unpacks to more than {{maxMegabytes}} MB; split it into several files.',
      zipBomb: 'The file is packed abnormally tightly ({{ratio}} times, at most {{max}} allowed) for an Excel workbook and was not read.',
      notUtf8: 'The file is not UTF-8 text: in Excel use “Save as → CSV UTF-8 (comma delimited)”, or upload the .xlsx file.',
      unreadable: 'This file cannot be read: upload an .xlsx file made from the template or a UTF-8 .csv file.',
    },
  },
};
