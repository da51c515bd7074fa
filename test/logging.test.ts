import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logging.ts';
import { freshDatabase } from './db.ts';
import { testConfig } from './helpers.ts';

/** What a logger writes, line by line. */
function lines(): { out: Writable; written: string[] } {
  const written: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      written.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { out, written };
}

describe('the request log', () => {
  async function requestsLoggedIn(env: 'development' | 'production') {
    const { db, drop } = await freshDatabase();
    // Production needs its secrets from the environment; development is what `npm start` runs.
    const config = testConfig({ NODE_ENV: env, LOG_LEVEL: 'info' });
    const { out, written } = lines();
    const app = await createApp({ db, config, logger: createLogger(config, out) });
    try {
      for (const path of ['/login', '/static/css/app.css', '/static/js/app.js', '/favicon.ico', '/no-such-page']) await request(app).get(path).set('Cookie', 'il.sid=the-session');
    } finally {
      await drop();
    }
    return written;
  }

  it('writes one short readable line a request in development, none for stylesheets, scripts and the icon', async () => {
    const written = await requestsLoggedIn('development');
    expect(written).to.have.length(2);
    expect(written[0]).to.match(/^\[\d{2}:\d{2}:\d{2}\] INFO: GET \/login 200 \d+ ms$/);
    expect(written[1]).to.match(/^\[\d{2}:\d{2}:\d{2}\] WARN: GET \/no-such-page 404 \d+ ms$/);
  });

  it('writes JSON lines in production, with the request and response and without cookies', async () => {
    const written = await requestsLoggedIn('production');
    expect(written).to.have.length(2);
    const entry = JSON.parse(written[0]!);
    expect(entry).to.include({ level: 30, msg: 'GET /login 200 ' + Math.round(entry.responseTime) + ' ms' });
    expect(entry.req).to.include({ method: 'GET', url: '/login' });
    expect(entry.res.statusCode).to.equal(200);
    expect(entry.req.headers.cookie).to.equal('[Redacted]');
    expect(written.join('\n')).to.not.include('the-session');
  });
});

describe('the icon', () => {
  it('is served from public/ at /favicon.ico and linked from every page', async () => {
    const { db, drop } = await freshDatabase();
    try {
      const app = await createApp({ db, config: testConfig() });
      const icon = await request(app).get('/favicon.ico');
      expect(icon.status).to.equal(200);
      expect(icon.headers['content-type']).to.match(/^image\/(x-icon|vnd\.microsoft\.icon)$/);
      expect([...icon.body.subarray(0, 4)]).to.deep.equal([0, 0, 1, 0]);
      expect((await request(app).get('/login')).text).to.include('<link rel="icon" href="/favicon.ico"');
    } finally {
      await drop();
    }
  });
});
