import type { Catalogue } from '../../i18n/types.ts';

export const auditCatalogue: Catalogue = {
  'zh-CN': {
    events: { demo: { seeded: '载入演示数据' } },
    title: '审计日志', verify: '校验哈希链', verifyTitle: '审计日志完整性校验', verifyHelp: '逐条重算 SHA-256 哈希链，发现被篡改或删除的记录。',
    at: '时间', actor: '操作人', action: '操作', entityType: '对象类型', entity: '对象', change: '变更', hash: '哈希',
    chainOk: '哈希链完整：共校验 {{count}} 条记录，未发现篡改。', chainBroken: '哈希链断裂：第一条异常记录为 #{{id}}（{{problem}}）。',
    problems: { 'content-altered': '内容被修改', 'link-broken': '前序记录被删除或改动' },
  },
  en: {
    events: { demo: { seeded: 'Demo data loaded' } },
    title: 'Audit log', verify: 'Verify hash chain', verifyTitle: 'Audit log integrity check', verifyHelp: 'Recomputes the SHA-256 chain entry by entry to find altered or deleted entries.',
    at: 'Time', actor: 'Actor', action: 'Action', entityType: 'Entity type', entity: 'Entity', change: 'Change', hash: 'Hash',
    chainOk: 'The chain holds: {{count}} entries checked, none altered.', chainBroken: 'The chain is broken: the first bad entry is #{{id}} ({{problem}}).',
    problems: { 'content-altered': 'its content was altered', 'link-broken': 'an earlier entry was deleted or altered' },
  },
};
