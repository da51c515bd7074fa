/**
 * Sign-in answer times: an unknown user, a wrong password, an account locked out by failures and a
 * disabled account must take as long as each other (each checks one Argon2id hash), so that the
 * time of an answer does not tell which it was. A right password is timed alongside for scale.
 * The cases take turns, each attempt from its own client address so that no throttle steps in.
 *
 *   npx tsx bench/sign-in.ts                                   # in-memory SQLite
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/sign-in.ts
 */
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { seedDemoCore } from '../db/seeds/demo.ts';
import { createApp } from '../server/app.ts';
import { createTemplate, dropTemplate, freshDatabase } from '../test/db.ts';
import { DEMO_PASSWORD, testConfig } from '../test/helpers.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const CASES = {
  'unknown user': { username: 'no-such-user', password: DEMO_PASSWORD },
  'wrong password': { username: 'officer1', password: 'Wrong#password1' },
  'locked out (right password)': { username: 'officer2', password: DEMO_PASSWORD },
  'disabled (right password)': { username: 'enterprise1', password: DEMO_PASSWORD },
  'right password': { username: 'auditor', password: DEMO_PASSWORD },
} as const;

await createTemplate();
const { db, drop } = await freshDatabase();
try {
  await seedDemoCore(db, DEMO_PASSWORD);
  await db('users').where({ username: 'officer2' }).update({ locked_until: new Date(Date.now() + 86_400_000).toISOString() });
  await db('users').where({ username: 'enterprise1' }).update({ is_locked: true });
  const app = await createApp({ db, config: testConfig({ TRUST_PROXY: 'true' }) });

  const times = new Map<string, number[]>(Object.keys(CASES).map((k) => [k, []]));
  let address = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, form] of Object.entries(CASES)) {
      // The account counter of the wrong-password case would lock it at 20; it is not what is timed.
      await db('users').where({ username: 'officer1' }).update({ failed_logins: 0 });
      address++;
      // A fresh visitor each time (a right password moves the session on); only the POST is timed.
      const agent = request.agent(app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1]!;
      const started = performance.now();
      const res = await agent.post('/login').set('X-Forwarded-For', `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`).type('form').send({ ...form, _csrf: token });
      times.get(name)!.push(performance.now() - started);
      const expected = name === 'right password' ? 303 : 200;
      if (res.status !== expected) throw new Error(`${name}: answered ${res.status}, expected ${expected}`);
    }
  }

  const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  console.log(`POST /login, ${ROUNDS} rounds on ${engine}          median    mean     p90   (ms)`);
  for (const [name, samples] of times) {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    console.log(`${name.padEnd(44)} ${at(0.5).toFixed(1).padStart(7)} ${mean.toFixed(1).padStart(7)} ${at(0.9).toFixed(1).padStart(7)}`);
  }
} finally {
  await drop();
  await dropTemplate();
}
