import type { Catalogue } from '../../i18n/types.ts';

export const auditCatalogue: Catalogue = {
  'zh-CN': {
    events: { demo: { seeded: '载入演示数据' }, audit_log: { verified: '校验审计日志', rekeyed: '审计日志改用密钥哈希链', exported: '导出审计日志' } },
    entities: { auditLog: '审计日志', system: '系统' },
    title: '审计日志', verify: '校验哈希链', verifyTitle: '审计日志完整性校验', verifyHelp: '用密钥逐条重算哈希链并与外部锚点比对，发现被篡改或删除的记录。',
    at: '时间', actor: '操作人', action: '操作', entityType: '对象类型', entity: '对象', change: '变更', hash: '哈希',
    filters: '筛选审计日志', objectFilter: '对象编号或名称', from: '日期自', to: '日期至',
    details: '详情', ipAndHash: 'IP 与哈希', actionCode: '操作代码', prevHash: '前一哈希', exportCsv: '导出 CSV', exportXlsx: '导出 Excel',
    chainOk: '哈希链完整：共校验 {{count}} 条记录，未发现篡改。', chainBroken: '哈希链断裂：第一条异常记录为 #{{id}}（{{problem}}）。',
    problems: { 'content-altered': '内容被修改', 'link-broken': '前序记录被删除或改动' },
    fields: { result: '结果', entries: '记录数', anchorsChecked: '比对锚点数', latestAnchorSeq: '最新锚点', problem: '问题', problemEntry: '问题记录', missingAfter: '缺失自此之后', legacyHead: '原哈希链末端',
      format: '格式', filters: '筛选条件', action: '操作', actor: '操作人', entityType: '对象类型', object: '对象', from: '日期自', to: '日期至' },
    values: {
      result: { intact: '完整', broken: '断裂' },
      problem: { 'content-altered': '内容被修改', 'link-broken': '前序记录被删除或改动', 'entries-missing': '记录缺失', 'anchor-mismatch': '与锚点不符', 'anchor-unreadable': '锚点文件被改动', 'no-anchor': '没有锚点' },
    },
    verdict: {
      entriesMissing: '日志末尾被删除：#{{after}} 之后的记录缺失（{{anchoredAt}} 写入的锚点记录了 #{{seq}}，日志中已没有这条记录）。',
      entriesMissingFromStart: '日志被删除：#{{seq}} 及之前的记录全部缺失（{{anchoredAt}} 写入的锚点记录了 #{{seq}}）。',
      anchorMismatch: '记录 #{{seq}} 与 {{anchoredAt}} 写入的锚点不符：它在锚定之后被改写。',
      anchorUnreadable: '锚点文件第 {{line}} 行不是锚点记录：锚点文件被改动过。',
      noAnchor: '日志中有记录，锚点文件中却没有锚点：无法发现日志末尾被删除的记录。请检查 AUDIT_ANCHOR_FILE 的设置。',
    },
    anchor: {
      title: '外部锚点', help: '每次写入审计日志后，最新记录的序号和哈希都会追加到数据库之外的锚点文件；校验时逐一比对，日志末尾的记录被删除也能发现。',
      lastEntry: '日志最后一条', latest: '最新锚点', writtenAt: '写入于 {{at}}', none: '尚无锚点', checked: '已比对锚点', count: '{{count}} 个',
    },
  },
  en: {
    events: { demo: { seeded: 'Demo data loaded' }, audit_log: { verified: 'Audit log verified', rekeyed: 'Audit log re-keyed (keyed hash chain)', exported: 'Audit log exported' } },
    entities: { auditLog: 'Audit log', system: 'System' },
    title: 'Audit log', verify: 'Verify hash chain', verifyTitle: 'Audit log integrity check', verifyHelp: 'Recomputes the keyed hash chain entry by entry and compares it with the external anchors, to find altered or deleted entries.',
    at: 'Time', actor: 'Actor', action: 'Action', entityType: 'Object type', entity: 'Object', change: 'Change', hash: 'Hash',
    filters: 'Filter the audit log', objectFilter: 'Object no. or name', from: 'From', to: 'Until',
    details: 'Details', ipAndHash: 'IP and hash', actionCode: 'Action code', prevHash: 'Previous hash', exportCsv: 'Export CSV', exportXlsx: 'Export Excel',
    chainOk: 'The chain holds: {{count}} entries checked, none altered.', chainBroken: 'The chain is broken: the first bad entry is #{{id}} ({{problem}}).',
    problems: { 'content-altered': 'its content was altered', 'link-broken': 'an earlier entry was deleted or altered' },
    fields: { result: 'Result', entries: 'Entries', anchorsChecked: 'Anchors compared', latestAnchorSeq: 'Latest anchor', problem: 'Problem', problemEntry: 'Entry concerned', missingAfter: 'Missing after', legacyHead: 'Head of the unkeyed chain',
      format: 'Format', filters: 'Filters', action: 'Action', actor: 'Actor', entityType: 'Object type', object: 'Object', from: 'From', to: 'Until' },
    values: {
      result: { intact: 'intact', broken: 'broken' },
      problem: { 'content-altered': 'content altered', 'link-broken': 'earlier entry deleted or altered', 'entries-missing': 'entries missing', 'anchor-mismatch': 'differs from its anchor', 'anchor-unreadable': 'anchor file altered', 'no-anchor': 'no anchor' },
    },
    verdict: {
      entriesMissing: 'Entries after #{{after}} are missing: the anchor written at {{anchoredAt}} names entry #{{seq}}, which the log no longer holds.',
      entriesMissingFromStart: 'Entries are missing: every entry up to #{{seq}} is gone (the anchor written at {{anchoredAt}} names entry #{{seq}}).',
      anchorMismatch: 'Entry #{{seq}} differs from the anchor written at {{anchoredAt}}: it was rewritten after it was anchored.',
      anchorUnreadable: 'Line {{line}} of the anchor file is not an anchor: the anchor file was altered.',
      noAnchor: 'The log has entries but the anchor file has no anchor, so entries cut from the end of the log cannot be noticed. Check AUDIT_ANCHOR_FILE.',
    },
    anchor: {
      title: 'External anchor', help: 'After every write to the audit log, the latest entry number and hash are appended to an anchor file outside the database; verification compares each anchor, so entries cut from the end of the log are noticed too.',
      lastEntry: 'Last entry of the log', latest: 'Latest anchor', writtenAt: 'written at {{at}}', none: 'no anchor yet', checked: 'Anchors compared', count: '{{count}}',
    },
  },
};
