import type { Catalogue } from './types.ts';

export const common: Catalogue = {
  'zh-CN': {
    app: { name: '政务诚信台账', tagline: '政务诚信建设 · 履约台账 · 清欠 · 投诉 · 好差评', footer: '政务诚信台账 Integrity Ledger — 政府守信践诺，企业放心发展' },
    nav: {
      home: '首页', agencies: '机关单位', enterprises: '市场主体', users: '用户账户', tokens: 'API 令牌', calendar: '节假日安排', audit: '审计日志',
      commitments: '承诺台账', myCommitments: '对我的承诺', waivers: '审核队列', import: '导入承诺', skip: '跳到正文',
    },
    layout: { signedInAs: '当前用户', logout: '退出登录', login: '登录', language: '语言', account: '账户安全', menu: '菜单' },
    roles: { admin: '系统管理员', auditor: '监督审计', officer: '机关经办人', enterprise: '企业用户' },
    actions: { save: '保存', cancel: '取消', search: '搜索', edit: '编辑', create: '新建', back: '返回', submit: '提交', reset: '重置', filter: '筛选', view: '查看', export: '导出', confirm: '确认' },
    pager: { summary: '共 {{total}} 条，第 {{page}} / {{pages}} 页', prev: '上一页', next: '下一页', empty: '暂无记录' },
    errors: {
      title: '出错了（{{status}}）', notFound: '您要找的页面或记录不存在。', forbidden: '您无权访问此页面。', unauthorized: '请先登录。',
      badRequest: '请求无效。', badUpload: '上传的内容不完整或格式有误，请重新选择文件后提交。', csrf: '表单已过期，请刷新页面后重新提交。', methodNotAllowed: '此地址不支持 {{method}} 请求。', tooLarge: '提交的内容过大。', tooMany: '请求过于频繁，请稍后再试。', server: '服务器内部错误，请稍后再试。我们已记录此问题。',
      validation: '提交的内容有误，请按提示修改。', otherAgency: '您只能为本单位登记记录。', backHome: '返回首页',
    },
    validation: {
      required: '此项必填。', invalid: '格式不正确。', tooLong: '内容过长（最多 {{max}} 个字符）。', tooSmall: '数值过小（至少 {{min}}）。', tooBig: '数值过大（最多 {{max}}）。',
      invalidOption: '请从列表中选择。', date: '请输入有效日期（YYYY-MM-DD）。', money: '请输入金额（元），最多两位小数。', summary: '表单中有 {{count}} 处错误：',
    },
    money: { yuan: '元' },
    audit: { system: '系统' },
    punctuation: { colon: '：' },
    format: { nameWithDetail: '{{name}}（{{detail}}）' },
    yes: '是', no: '否', none: '无', all: '全部',
  },
  en: {
    app: { name: 'Integrity Ledger', tagline: 'Government integrity · commitments ledger · arrears · complaints · ratings', footer: 'Integrity Ledger (政务诚信台账) — governments keep their word, businesses grow with confidence' },
    nav: {
      home: 'Home', agencies: 'Agencies', enterprises: 'Enterprises', users: 'Users', tokens: 'API tokens', calendar: 'Holiday calendar', audit: 'Audit log',
      commitments: 'Commitments', myCommitments: 'Commitments to us', waivers: 'Review queue', import: 'Import commitments', skip: 'Skip to content',
    },
    layout: { signedInAs: 'Signed in as', logout: 'Sign out', login: 'Sign in', language: 'Language', account: 'Account security', menu: 'Menu' },
    roles: { admin: 'Administrator', auditor: 'Auditor', officer: 'Agency officer', enterprise: 'Enterprise user' },
    actions: { save: 'Save', cancel: 'Cancel', search: 'Search', edit: 'Edit', create: 'New', back: 'Back', submit: 'Submit', reset: 'Reset', filter: 'Filter', view: 'View', export: 'Export', confirm: 'Confirm' },
    pager: { summary: '{{total}} records, page {{page}} of {{pages}}', prev: 'Previous', next: 'Next', empty: 'No records' },
    errors: {
      title: 'Error ({{status}})', notFound: 'The page or record you asked for does not exist.', forbidden: 'You are not allowed to open this page.', unauthorized: 'Please sign in first.',
      badRequest: 'The request is not valid.', badUpload: 'The upload was incomplete or malformed; please choose the files again and resubmit.', csrf: 'This form has expired; please reload the page and submit it again.', methodNotAllowed: 'This address does not accept {{method}} requests.', tooLarge: 'What you sent is too large.', tooMany: 'Too many requests; please try again later.', server: 'Something went wrong on our side; please try again later. The problem has been logged.',
      validation: 'Some of what you entered needs correcting.', otherAgency: 'You may only register records for your own agency.', backHome: 'Back to the home page',
    },
    validation: {
      required: 'This field is required.', invalid: 'This value is not valid.', tooLong: 'Too long (at most {{max}} characters).', tooSmall: 'Too small (at least {{min}}).', tooBig: 'Too large (at most {{max}}).',
      invalidOption: 'Choose a value from the list.', date: 'Enter a valid date (YYYY-MM-DD).', money: 'Enter an amount in yuan with at most two decimals.', summary_one: 'The form has one error:', summary_other: 'The form has {{count}} errors:',
    },
    money: { yuan: 'yuan' },
    audit: { system: 'System' },
    punctuation: { colon: ': ' },
    format: { nameWithDetail: '{{name}} ({{detail}})' },
    yes: 'Yes', no: 'No', none: 'None', all: 'All',
  },
};
