import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { seedDemoCore } from '../../../db/seeds/demo.ts';
import { freshDatabase } from '../../../test/db.ts';
import { DEMO_PASSWORD, idOf, postForm, signIn, testConfig } from '../../../test/helpers.ts';
import { createApp } from '../../app.ts';
import { SYSTEM_ACTOR } from '../../audit/chain.ts';
import { fixedClock } from '../../domain/clock.ts';
import { issueToken } from '../admin/service.ts';

// 2030 is years beyond any published arrangement; the "notice" loaded below is test data, not the real one.
const ARRANGEMENT_2030 = ['# 测试用安排', '2030-10-01..2030-10-07 国庆节', '2030-09-29 国庆节 上班', '2030-10-12 国庆节 上班'].join('\n');

describe('working-day calendar: pages and API', () => {
  let app: Express;
  let db: Knex;
  let close: () => Promise<void>;
  let admin: request.Agent;
  let officer: request.Agent;
  const tokens: Record<string, string> = {};

  before(async () => {
    const fresh = await freshDatabase();
    db = fresh.db;
    close = fresh.drop;
    await seedDemoCore(db, DEMO_PASSWORD);
    app = await createApp({ db, config: testConfig(), clock: fixedClock('2026-11-30T02:00:00Z') });
    admin = await signIn(app, 'admin');
    officer = await signIn(app, 'officer1');
    for (const username of ['enterprise1', 'officer1']) {
      tokens[username] = (await issueToken(db, SYSTEM_ACTOR, { userId: await idOf(db, 'users', { username }), label: `calendar ${username}`, days: 1 }, testConfig())).token;
    }
  });
  after(() => close());

  const api = (path: string, username = 'enterprise1') => request(app).get(`/api/v1${path}`).set('Authorization', `Bearer ${tokens[username]}`);
  const loadYear = (fields: Record<string, unknown>) => postForm(admin, '/admin/calendar/years/new', '/admin/calendar/years', fields);

  describe('who may use it', () => {
    it('asks a stranger to sign in, and serves the calculator to any signed-in user', async () => {
      const anonymous = await request(app).get('/calendar/working-days?from=2025-09-30&days=10');
      expect(anonymous.status).to.equal(303);
      expect(anonymous.headers.location).to.equal('/login?next=%2Fcalendar%2Fworking-days%3Ffrom%3D2025-09-30%26days%3D10');
      const enterprise = await signIn(app, 'enterprise1');
      expect((await enterprise.get('/calendar/working-days?from=2025-09-30&days=10')).status).to.equal(200);
    });

    it('keeps the holiday calendar to admins', async () => {
      const auditor = await signIn(app, 'auditor');
      for (const agent of [officer, auditor]) {
        expect((await agent.get('/admin/calendar')).status).to.equal(403);
        expect((await agent.get('/admin/calendar/years/new?year=2030')).status).to.equal(403);
      }
      const refused = await postForm(officer, '/calendar/working-days', '/admin/calendar/years', { year: 2030, source: 'x', lines: ARRANGEMENT_2030 });
      expect(refused.status).to.equal(403);
      expect(await db('calendar_years').count({ n: '*' }).first()).to.deep.include({ n: 0 });
    });

    it('answers the API only with a token', async () => {
      const res = await request(app).get('/api/v1/calendar/working-days?from=2025-09-30&days=10');
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('unauthorized');
    });
  });

  describe('the calculator page', () => {
    it('opens on today with no result', async () => {
      const res = await officer.get('/calendar/working-days');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('value="2026-11-30"');
      expect(res.text).to.not.include('data-due-on');
    });

    it('shows the due date and every day as it was counted, holidays and 调休 by name', async () => {
      const res = await officer.get('/calendar/working-days?from=2025-09-30&days=10');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('data-due-on="2025-10-21"');
      expect(res.text).to.include('自 2025-09-30 的次日起算 10 个工作日，到期日为 2025-10-21（星期二）');
      expect(res.text).to.include('跳过 11 天（周末 3 天，节假日 8 天），调休上班 1 天计为工作日');
      expect(res.text).to.match(/data-date="2025-10-06">\s*<td class="nowrap">2025-10-06<\/td>\s*<td class="nowrap">星期一<\/td>\s*<td>中秋节，跳过/);
      expect(res.text).to.include('调休上班（国庆节），第 3 个工作日');
      expect(res.text).to.include('data-definitive');
      expect(res.text).to.not.include('data-provisional');
    });

    it('speaks English on request', async () => {
      const english = await signIn(app, 'officer2');
      const res = await english.get('/calendar/working-days?from=2025-09-30&days=10&lang=en');
      expect(res.text).to.include('Mid-Autumn Festival, skipped');
      expect(res.text).to.include('Adjusted working day (National Day), working day 3');
      expect(res.text).to.include('due on 21 Oct 2025 (Tuesday)');
    });

    it('marks a count reaching into a year not yet published as provisional, naming the year', async () => {
      const res = await officer.get('/calendar/working-days?from=2031-09-30&days=3');
      expect(res.text).to.include('data-due-on="2031-10-08"');
      expect(res.text).to.include('data-provisional');
      expect(res.text).to.include('2031 年的节假日安排尚未公布或尚未录入');
      expect(res.text).to.include('中秋节、国庆节，跳过');
    });

    it('refuses bad input field by field and keeps what was typed', async () => {
      const res = await officer.get('/calendar/working-days?from=2025-02-30&days=400');
      expect(res.status).to.equal(422);
      expect(res.text).to.include('请输入有效日期（YYYY-MM-DD）');
      expect(res.text).to.include('工作日天数须为 1 至 366 之间的整数');
      expect(res.text).to.include('value="2025-02-30"');
      expect(res.text).to.not.include('data-due-on');
    });
  });

  describe('GET /api/v1/calendar/working-days', () => {
    it('answers the due date with the skipped days and the adjusted working days (春节 2026)', async () => {
      const res = await api('/calendar/working-days?from=2026-02-12&days=5');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        from: '2026-02-12',
        days: 5,
        dueOn: '2026-02-26',
        provisional: false,
        provisionalYears: [],
        skipped: ['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => ({ date: `2026-02-${d}`, reason: 'holiday', holiday: '春节' })),
        adjustedWorkdays: [{ date: '2026-02-14', holiday: '春节' }],
      });
    });

    it('names each bad field in a 422', async () => {
      const bad = await api('/calendar/working-days?from=1999-12-31&days=1.5');
      expect(bad.status).to.equal(422);
      expect(bad.body.error.code).to.equal('validation_failed');
      expect(bad.body.error.details).to.deep.equal([
        { path: 'from', message: '起算日须在 2004-01-01 至 2097-12-31 之间。' },
        { path: 'days', message: '工作日天数须为 1 至 366 之间的整数。' },
      ]);
      const missing = await api('/calendar/working-days?days=0');
      expect(missing.body.error.details).to.deep.equal([
        { path: 'from', message: '此项必填。' },
        { path: 'days', message: '工作日天数须为 1 至 366 之间的整数。' },
      ]);
    });
  });

  describe('admins loading a year', () => {
    it('lists where the arrangements come from and warns of the coming year not loaded yet', async () => {
      const res = await admin.get('/admin/calendar');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('已含 2004–2026 年的国务院节假日安排');
      expect(res.text).to.include('data-missing-year="2027"');
      expect(res.text).to.not.include('data-missing-year="2026"');
      expect(res.text).to.include('尚未录入任何年度安排');
      expect(res.text).to.match(/<a href="\/admin\/calendar" aria-current="page">节假日安排<\/a>/);
    });

    it('opens a year the package ships prefilled from it, to check against the notice', async () => {
      const res = await admin.get('/admin/calendar/years/new?year=2026');
      expect(res.text).to.include('已按内置数据预填 2026 年的安排');
      expect(res.text).to.include('2026-02-15..2026-02-23 春节\n2026-02-28 春节 上班');
    });

    it('refuses a bad arrangement line by line, saving nothing', async () => {
      const res = await loadYear({ year: 2030, source: '国办发明电〔2029〕1号', lines: '2030-10-01..2030-10-07 国庆节\n2030-10-08 国庆节 上班\n2030-13-01 元旦' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('第 2 行：2030-10-08 不是周六或周日');
      expect(res.text).to.include('第 3 行：“2030-13-01”不是有效日期');
      expect(res.text).to.include('2030-10-01..2030-10-07 国庆节');
      expect(res.text).to.include('action="/admin/calendar/years"');
      expect(await db('calendar_years').where({ year: 2030 }).first()).to.equal(undefined);
      expect(await db('audit_log').where({ entity_type: 'calendar_year' }).first()).to.equal(undefined);
    });

    it('asks for the year, the notice and at least one line', async () => {
      const res = await loadYear({ year: '', source: ' ', lines: '# only a comment' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('此项必填');
      const noLines = await loadYear({ year: 2030, source: '国办发明电〔2029〕1号', lines: '# only a comment' });
      expect(noLines.text).to.include('请至少填写一行日期');
    });

    it('turns a provisional answer into a definitive one once the year is loaded, and audits the load', async () => {
      const before = await api('/calendar/working-days?from=2030-09-27&days=5', 'officer1');
      expect(before.body).to.include({ dueOn: '2030-10-09', provisional: true });
      expect(before.body.provisionalYears).to.deep.equal([2030]);

      const saved = await loadYear({ year: 2030, source: '国办发明电〔2029〕1号', lines: ARRANGEMENT_2030 });
      expect(saved.status).to.equal(303);
      expect((await admin.get('/admin/calendar')).text).to.include('2030 年节假日安排已保存：放假 7 天，调休上班 2 天');

      const after = await api('/calendar/working-days?from=2030-09-27&days=5', 'officer1');
      expect(after.body).to.include({ dueOn: '2030-10-10', provisional: false });
      expect(after.body.adjustedWorkdays).to.deep.equal([{ date: '2030-09-29', holiday: '国庆节' }]);
      const page = await officer.get('/calendar/working-days?from=2030-09-27&days=5');
      expect(page.text).to.include('data-definitive');

      const audit = await db('audit_log').where({ entity_type: 'calendar_year', entity_id: '2030' }).first();
      expect(audit.action).to.equal('calendar.year.loaded');
      expect(audit.actor_name).to.equal('admin');
      expect(JSON.parse(audit.after_json)).to.deep.equal({ source: '国办发明电〔2029〕1号', days: ['2030-09-29 国庆节 上班', '2030-10-01..2030-10-07 国庆节', '2030-10-12 国庆节 上班'] });
      expect(audit.before_json).to.equal(null);
    });

    it('replaces a loaded year as a whole, so a day dropped from the notice stops counting', async () => {
      const form = await admin.get('/admin/calendar/years/new?year=2030');
      expect(form.text).to.include('这是当前已录入的 2030 年安排（国办发明电〔2029〕1号）');
      const res = await loadYear({ year: 2030, source: '国办发明电〔2029〕2号', lines: '2030-10-01..2030-10-07 国庆节\n2030-09-29 国庆节 上班' });
      expect(res.status).to.equal(303);
      expect(await db('calendar_days').where({ year: 2030 }).orderBy('date').pluck('date')).to.not.include('2030-10-12');
      const r = await api('/calendar/working-days?from=2030-10-10&days=2');
      expect(r.body.dueOn, 'Saturday 10-12 is a day off again').to.equal('2030-10-14');
      const audit = await db('audit_log').where({ entity_type: 'calendar_year', entity_id: '2030' }).orderBy('id', 'desc').first();
      expect(audit.action).to.equal('calendar.year.replaced');
      expect(JSON.parse(audit.before_json).source).to.equal('国办发明电〔2029〕1号');
      expect(JSON.parse(audit.before_json).days).to.include('2030-10-12 国庆节 上班');
      const list = await admin.get('/admin/calendar');
      expect(list.text).to.match(/<tr data-year="2030">\s*<td>2030<\/td>\s*<td>国办发明电〔2029〕2号<\/td>\s*<td>admin<\/td>/);
    });

    it('refuses a date that belongs to another year’s arrangement, naming the line and the year', async () => {
      expect((await loadYear({ year: 2031, source: '国办发明电〔2030〕1号', lines: '2030-12-31..2031-01-01 元旦' })).status).to.equal(303);
      const res = await loadYear({ year: 2030, source: '国办发明电〔2029〕3号', lines: '2030-10-01..2030-10-07 国庆节\n2030-12-31 元旦' });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('第 2 行：2030-12-31 已属于 2031 年的安排');
      expect(await db('calendar_years').where({ year: 2030 }).first()).to.deep.include({ source: '国办发明电〔2029〕2号' });
    });
  });
});
