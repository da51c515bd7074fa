import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb } from './connection.ts';

describe('SQLite connection', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'il-conn-'));

  it('sets WAL, foreign keys and a busy timeout on the connection', async () => {
    const db = createDb({ client: 'sqlite', filename: path.join(dir, 'pragmas.sqlite') });
    try {
      const journal = await db.raw('PRAGMA journal_mode');
      const fk = await db.raw('PRAGMA foreign_keys');
      const busy = await db.raw('PRAGMA busy_timeout');
      expect(journal[0].journal_mode).to.equal('wal');
      expect(fk[0].foreign_keys).to.equal(1);
      expect(busy[0].timeout).to.equal(5000);
    } finally {
      await db.destroy();
    }
  });

  it('fails a query issued outside an open transaction instead of waiting for ever', async () => {
    const db = createDb({ client: 'sqlite', filename: path.join(dir, 'pool.sqlite') });
    try {
      let outcome: unknown;
      await db.transaction(async (trx) => {
        await trx.raw('select 1');
        outcome = await db.raw('select 1').then(() => 'answered', (err: Error) => err.name);
      });
      expect(outcome).to.equal('KnexTimeoutError');
    } finally {
      await db.destroy();
    }
  });
});
