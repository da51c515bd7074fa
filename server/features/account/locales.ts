import type { Catalogue } from '../../i18n/types.ts';

export const accountCatalogue: Catalogue = {
  'zh-CN': {
    events: {
      login: { password_ok: '密码验证通过（待双因素认证）', succeeded: '登录成功', failed: '登录失败', mfa_failed: '动态口令验证失败', recovery_code_used: '使用恢复码登录' },
      logout: '退出登录',
      user: {
        lockout: '账户因连续 20 次验证失败被临时锁定', password_changed: '修改密码', mfa_enabled: '启用双因素认证', mfa_replaced: '更换身份验证器',
        reauth_failed: '修改安全设置时身份验证失败',
      },
    },
    fields: { reason: '原因', failures: '账户连续失败次数', lockedUntil: '锁定至', remaining: '剩余恢复码' },
    values: { reason: { 'unknown-user': '用户名不存在', locked: '账户已临时锁定', disabled: '账户已停用', 'wrong-password': '密码错误', 'wrong-code': '动态码或恢复码错误' } },
    login: {
      title: '登录', username: '用户名', password: '密码', submit: '登录',
      failed: '用户名或密码错误，或该账户暂时不能登录。如多次失败，请稍后再试或联系系统管理员。',
      throttled: {
        pair: '该用户名从您所在的地址连续 5 次登录失败，请 {{minutes}} 分钟后再试。',
        address: '您所在的地址登录失败次数过多，24 小时内不能登录。如需帮助，请联系系统管理员。',
      },
      loggedOut: '您已安全退出。',
      demoHint: '演示环境：账户 admin、auditor、officer1、officer2、enterprise1，密码见启动日志（默认 Demo#2026pass）。',
    },
    password: {
      title: '修改密码', current: '当前密码', new: '新密码', confirm: '确认新密码', changed: '密码已修改，其他设备上的会话已全部退出。',
      mustChange: '管理员为您设置了初始密码，请先修改密码后再继续使用。', mismatch: '两次输入的新密码不一致。', wrongCurrent: '当前密码不正确。',
      sameAsOld: '新密码不能与当前密码相同。',
      rulesText: '密码至少 10 位，须包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，也不能是常见或已泄露的密码（等保三级要求）。',
      rules: { length: '密码至少需要 10 个字符。', classes: '密码须包含大写字母、小写字母、数字、符号中的至少三类。', username: '密码不能包含用户名。', common: '这是常见或已泄露的密码，请换一个。' },
    },
    mfa: {
      title: '启用双因素认证', stepTitle: '双因素认证', stepHelp: '请输入身份验证器应用中的 6 位动态码，或一个恢复码。',
      required: '您的角色必须启用双因素认证后才能继续使用系统。', alreadyOn: '双因素认证已启用；重新绑定会替换原有密钥和恢复码。',
      step1: '在手机上打开身份验证器应用（如 Microsoft Authenticator、Google Authenticator 或 FreeOTP），扫描下方二维码。',
      step2: '输入应用显示的 6 位动态码以完成绑定。', qrAlt: '双因素认证二维码', manual: '无法扫码时，请手动输入以下密钥：',
      code: '动态码', verify: '验证', enable: '启用', replace: '更换验证器', wrongCode: '动态码不正确或已过期，请重试。', expired: '绑定已过期，请刷新页面重新扫码。',
      newCode: '新验证器显示的动态码', currentCode: '原验证器的当前动态码或一个恢复码', currentCodeHint: '更换验证器须证明您持有原验证器；手机丢失时可用恢复码。',
      wrongCurrentCode: '原验证器的动态码或恢复码不正确。',
      codesTitle: '恢复码', enabled: '双因素认证已启用。', codesHelp: '请妥善保存以下恢复码。手机丢失时，每个恢复码可代替动态码使用一次。此页面关闭后将不再显示。',
      continue: '我已保存，继续',
    },
    security: { title: '账户安全', mfa: '双因素认证', on: '已启用', off: '未启用', reEnrol: '重新绑定验证器' },
    reauth: {
      password: '登录密码', why: '为确认是您本人，请再次输入登录密码。', wrongPassword: '密码不正确。',
      lockedOut: '验证失败次数过多，账户已被临时锁定，请 15 分钟后再试。',
    },
  },
  en: {
    events: {
      login: { password_ok: 'Password accepted (second factor owed)', succeeded: 'Signed in', failed: 'Sign-in failed', mfa_failed: 'One-time code refused', recovery_code_used: 'Signed in with a recovery code' },
      logout: 'Signed out',
      user: {
        lockout: 'Account locked for a while after 20 failed checks in a row', password_changed: 'Password changed', mfa_enabled: 'Two-factor authentication enabled', mfa_replaced: 'Authenticator replaced',
        reauth_failed: 'Identity check failed while changing security settings',
      },
    },
    fields: { reason: 'Reason', failures: 'Account failures in a row', lockedUntil: 'Locked until', remaining: 'Recovery codes left' },
    values: { reason: { 'unknown-user': 'Unknown username', locked: 'Account locked for a while', disabled: 'Account disabled', 'wrong-password': 'Wrong password', 'wrong-code': 'Wrong code or recovery code' } },
    login: {
      title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
      failed: 'Wrong username or password, or the account cannot sign in at present. After repeated failures, try again later or ask the system administrator.',
      throttled: {
        pair: 'Five failed sign-ins in a row for this username from your address: please try again in {{minutes}} minutes.',
        address: 'Too many failed sign-ins from your address: it cannot sign in for 24 hours. The system administrator can help.',
      },
      loggedOut: 'You have signed out.',
      demoHint: 'Demo: accounts admin, auditor, officer1, officer2, enterprise1; the password is printed at start-up (default Demo#2026pass).',
    },
    password: {
      title: 'Change password', current: 'Current password', new: 'New password', confirm: 'Confirm new password', changed: 'Password changed; every other session of yours has been signed out.',
      mustChange: 'An administrator set your password: please choose your own before you go on.', mismatch: 'The two new passwords differ.', wrongCurrent: 'The current password is wrong.',
      sameAsOld: 'The new password must differ from the current one.',
      rulesText: 'At least 10 characters with three of: upper case, lower case, digits, symbols; not containing your username; not a common or breached password (MLPS level 3).',
      rules: { length: 'The password needs at least 10 characters.', classes: 'Use three of: upper case, lower case, digits, symbols.', username: 'The password must not contain your username.', common: 'This password is common or has been breached; choose another.' },
    },
    mfa: {
      title: 'Set up two-factor sign-in', stepTitle: 'Two-factor sign-in', stepHelp: 'Enter the 6-digit code from your authenticator app, or a recovery code.',
      required: 'Your role must use two-factor sign-in before you can go on.', alreadyOn: 'Two-factor sign-in is on; enrolling again replaces the key and the recovery codes.',
      step1: 'Open an authenticator app on your phone (Microsoft Authenticator, Google Authenticator, FreeOTP…) and scan the QR code below.',
      step2: 'Enter the 6-digit code it shows to finish.', qrAlt: 'QR code for two-factor sign-in', manual: 'If you cannot scan, type this key:',
      code: 'Code', verify: 'Verify', enable: 'Turn on', replace: 'Replace the authenticator', wrongCode: 'The code is wrong or expired; try again.', expired: 'The enrolment expired; reload the page and scan again.',
      newCode: 'Code shown by the new authenticator', currentCode: 'Current code of the old authenticator, or a recovery code', currentCodeHint: 'Replacing the authenticator needs proof that you hold the old one; use a recovery code if the phone is lost.',
      wrongCurrentCode: 'The code of the old authenticator, or the recovery code, is wrong.',
      codesTitle: 'Recovery codes', enabled: 'Two-factor sign-in is on.', codesHelp: 'Keep these recovery codes safe. If you lose your phone, each one replaces a code once. They are not shown again.',
      continue: 'I have saved them — continue',
    },
    security: { title: 'Account security', mfa: 'Two-factor sign-in', on: 'On', off: 'Off', reEnrol: 'Enrol a new authenticator' },
    reauth: {
      password: 'Password', why: 'Enter your password again to show it is you.', wrongPassword: 'The password is wrong.',
      lockedOut: 'Too many failed checks: the account is locked for a while; try again in 15 minutes.',
    },
  },
};
