import type { Catalogue } from '../../i18n/index.ts';

export const homeCatalogue: Catalogue = {
  'zh-CN': {
    welcome: '{{name}}，您好', roleLine: '您的角色：{{role}}', canDo: '您可以',
    duties: {
      admin: ['管理机关单位及其市、区、街道层级', '管理市场主体（校验统一社会信用代码）', '创建用户、分配角色与范围、锁定和重置密码', '为系统对接签发和吊销 API 令牌'],
      auditor: ['查看全部机关单位的承诺台账与履约情况', '审核豁免申请、处理争议', '查验审计日志的完整性（哈希链）'],
      officer: ['登记本单位的政府合同、政策承诺和招商引资协议及其履约节点', '记录履约情况并上传佐证材料', '办理责任人交接，做到“新官理旧账”'],
      enterprise: ['查看政府对本企业作出的承诺及其履约进度', '确认或对履约记录提出异议'],
    },
  },
  en: {
    welcome: 'Welcome, {{name}}', roleLine: 'Your role: {{role}}', canDo: 'What you can do',
    duties: {
      admin: ['Manage agencies and their city / district / street hierarchy', 'Manage enterprises (the unified social credit code is checked)', 'Create users, give roles and scopes, lock accounts and reset passwords', 'Issue and revoke API tokens for system integrations'],
      auditor: ['Watch every agency’s commitments ledger and fulfilment', 'Decide waiver requests and settle disputes', 'Verify the audit log’s hash chain'],
      officer: ['Register your agency’s contracts, policy promises and investment agreements with their milestones', 'Record fulfilment with evidence files', 'Hand over responsibility when staff change, so that old promises are kept'],
      enterprise: ['See what the government promised your enterprise and how far it has delivered', 'Confirm or dispute recorded fulfilment'],
    },
  },
};
