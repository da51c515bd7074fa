import type { Catalogue } from '../i18n/types.ts';

/** The `jobs` namespace: what the shared progress partial and the runner's own failures say. */
export const jobsCatalogue: Catalogue = {
  'zh-CN': {
    statuses: { queued: '排队中', running: '正在处理', done: '已完成', failed: '失败' },
    progress: {
      status: '状态',
      phase: '进度',
      bar: '处理进度',
      running: '正在后台处理，本页会自动更新；也可以点“刷新”查看最新进度。',
      refresh: '刷新',
    },
    errors: {
      internal: '处理时发生内部错误，已重试多次仍未成功。问题已记录，请稍后再试。',
      abandoned: '处理这项任务的服务多次中断，任务已停止。请重新提交。',
    },
  },
  en: {
    statuses: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' },
    progress: {
      status: 'Status',
      phase: 'Progress',
      bar: 'Progress',
      running: 'Working on it in the background; this page updates itself, or use “Refresh” to see the latest progress.',
      refresh: 'Refresh',
    },
    errors: {
      internal: 'Something went wrong on our side, and trying again did not help. The problem has been logged; please try again later.',
      abandoned: 'The service running this job was interrupted several times, so the job was stopped. Please submit it again.',
    },
  },
};
