import type { Catalogue } from '../../i18n/types.ts';

export const adminCatalogue: Catalogue = {
  'zh-CN': {
    events: {
      agency: { created: '新增机关单位', updated: '修改机关单位' },
      enterprise: { created: '新增市场主体', updated: '修改市场主体' },
      user: { created: '新增用户', locked: '停用账户', unlocked: '启用账户', password_reset: '重置密码' },
      token: { created: '签发 API 令牌', revoked: '吊销 API 令牌' },
    },
    saved: '已保存。',
    entities: { user: '用户', agency: '机关单位', enterprise: '市场主体', apiToken: 'API 令牌' },
    levels: { city: '市级', district: '区（市）级', street: '镇街级' },
    agencies: {
      new: '新建机关单位', edit: '编辑机关单位', tree: '层级结构', name: '单位名称', code: '单位代码', codeHint: '统一社会信用代码或内部编码，唯一。',
      level: '层级', parent: '上级单位', duplicate: '该单位代码已被使用。', parentLevel: '上级单位的层级必须高于本单位（市 > 区 > 镇街）。', parentCycle: '不能把下级单位设为上级单位。',
    },
    enterpriseTypes: { private: '民营企业', state_owned: '国有企业', foreign_invested: '外商投资企业', individual: '个体工商户' },
    scales: { micro: '微型', small: '小型', medium: '中型', large: '大型' },
    enterprises: {
      new: '新建市场主体', edit: '编辑市场主体', search: '按名称或统一社会信用代码搜索', name: '名称', creditCode: '统一社会信用代码', type: '类型', scale: '规模', district: '所在区（市）',
      codeHint: '18 位，不含 I、O、S、V、Z，例如 91350100M000100Y43。', exceptionReason: '校验例外理由', exceptionHint: '仅用于校验位不符的历史存量代码：填写理由后可登记，理由会记录在案。',
      duplicate: '该统一社会信用代码已登记。', legacy: '历史代码',
      codeRules: {
        length: '统一社会信用代码应为 18 位，当前为 {{length}} 位。',
        charset: '第 {{position}} 位字符“{{char}}”不允许：只能使用数字和除 I、O、S、V、Z 以外的大写字母。',
        authority: '第 1 位登记管理部门代码“{{char}}”无效（应为 1、5、9 或 Y）。',
        area: '第 3–8 位应为 6 位数字的行政区划码，当前为“{{area}}”。',
        'org-check': '第 17 位组织机构代码校验位错误：应为“{{expected}}”，实际为“{{actual}}”。',
        check: '第 18 位校验位错误：应为“{{expected}}”，实际为“{{actual}}”。',
      },
    },
    users: {
      new: '新建用户', username: '用户名', displayName: '姓名', role: '角色', scope: '所属单位/企业', agency: '所属机关单位', enterprise: '所属市场主体',
      agencyHint: '机关经办人必填。', enterpriseHint: '企业用户必填。', initialPassword: '初始密码', initialHint: '用户首次登录时必须修改密码。',
      usernameRule: '用户名为 3–64 位字母、数字或 _ . -。', duplicate: '该用户名已存在。', agencyRequired: '机关经办人必须选择所属机关单位。', enterpriseRequired: '企业用户必须选择所属市场主体。',
      lastLogin: '最近登录', never: '从未', state: '状态', locked: '已停用', lockedOut: '临时锁定至 {{until}}', active: '正常', mustChange: '待改密',
      lock: '停用', unlock: '解锁', reset: '重置密码', resetHelp: '重置后该用户的所有会话立即失效，下次登录须修改密码。',
      created: '用户已创建，首次登录时须修改密码。', lockedDone: '账户已停用，其所有会话已结束。', unlockedDone: '账户已解锁。', resetDone: '密码已重置，该用户的所有会话已结束。',
    },
    tokens: {
      new: '签发令牌', user: '代表用户', label: '用途说明', days: '有效天数', issue: '签发', created: '签发时间', expires: '到期时间', lastUsed: '最近使用',
      revoke: '吊销', revoked: '已吊销', expired: '已过期', revokedDone: '令牌已吊销。',
      issued: '令牌已签发。它只显示这一次，请立即复制保存；系统只保存其哈希值。',
      usage: '调用 /api/v1 时在请求头中携带：Authorization: Bearer <令牌>',
    },
  },
  en: {
    events: {
      agency: { created: 'Agency added', updated: 'Agency edited' },
      enterprise: { created: 'Enterprise added', updated: 'Enterprise edited' },
      user: { created: 'User added', locked: 'Account disabled', unlocked: 'Account enabled', password_reset: 'Password reset' },
      token: { created: 'API token issued', revoked: 'API token revoked' },
    },
    saved: 'Saved.',
    entities: { user: 'User', agency: 'Agency', enterprise: 'Enterprise', apiToken: 'API token' },
    levels: { city: 'City', district: 'District', street: 'Street / town' },
    agencies: {
      new: 'New agency', edit: 'Edit agency', tree: 'Hierarchy', name: 'Name', code: 'Code', codeHint: 'Credit code or internal code; unique.',
      level: 'Level', parent: 'Parent agency', duplicate: 'This code is already used.', parentLevel: 'The parent must be of a higher level (city > district > street).', parentCycle: 'An agency cannot sit under one of its own subordinates.',
    },
    enterpriseTypes: { private: 'Private', state_owned: 'State-owned', foreign_invested: 'Foreign-invested', individual: 'Individual business' },
    scales: { micro: 'Micro', small: 'Small', medium: 'Medium', large: 'Large' },
    enterprises: {
      new: 'New enterprise', edit: 'Edit enterprise', search: 'Search by name or credit code', name: 'Name', creditCode: 'Unified social credit code', type: 'Type', scale: 'Scale', district: 'District',
      codeHint: '18 characters without I, O, S, V, Z, e.g. 91350100M000100Y43.', exceptionReason: 'Reason for a check exception', exceptionHint: 'Only for legacy codes whose check character fails: with a reason the code is accepted and the reason recorded.',
      duplicate: 'This credit code is already registered.', legacy: 'Legacy code',
      codeRules: {
        length: 'The code must have 18 characters; it has {{length}}.',
        charset: 'Character {{position}} ("{{char}}") is not allowed: use digits and capital letters other than I, O, S, V, Z.',
        authority: 'The registering authority (character 1, "{{char}}") must be 1, 5, 9 or Y.',
        area: 'Characters 3–8 must be a six-digit area code; found "{{area}}".',
        'org-check': 'The organisation code check (character 17) is wrong: expected "{{expected}}", found "{{actual}}".',
        check: 'The check character (character 18) is wrong: expected "{{expected}}", found "{{actual}}".',
      },
    },
    users: {
      new: 'New user', username: 'Username', displayName: 'Name', role: 'Role', scope: 'Agency / enterprise', agency: 'Agency', enterprise: 'Enterprise',
      agencyHint: 'Required for officers.', enterpriseHint: 'Required for enterprise users.', initialPassword: 'Initial password', initialHint: 'The user must change it at first sign-in.',
      usernameRule: 'Use 3–64 letters, digits or _ . -', duplicate: 'This username exists already.', agencyRequired: 'An officer needs an agency.', enterpriseRequired: 'An enterprise user needs an enterprise.',
      lastLogin: 'Last sign-in', never: 'Never', state: 'State', locked: 'Disabled', lockedOut: 'Locked out until {{until}}', active: 'Active', mustChange: 'Must change password',
      lock: 'Disable', unlock: 'Unlock', reset: 'Reset password', resetHelp: 'Every session of this user ends at once; the user must choose a new password at next sign-in.',
      created: 'User created; they must change the password at first sign-in.', lockedDone: 'Account disabled; all its sessions have ended.', unlockedDone: 'Account unlocked.', resetDone: 'Password reset; all the user’s sessions have ended.',
    },
    tokens: {
      new: 'Issue a token', user: 'Acts as user', label: 'Purpose', days: 'Valid for (days)', issue: 'Issue', created: 'Issued', expires: 'Expires', lastUsed: 'Last used',
      revoke: 'Revoke', revoked: 'Revoked', expired: 'Expired', revokedDone: 'Token revoked.',
      issued: 'Token issued. It is shown this once: copy it now. Only its hash is stored.',
      usage: 'Send it on /api/v1 calls as the header Authorization: Bearer <token>',
    },
  },
};
