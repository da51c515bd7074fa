import { ConnectSessionKnexStore } from 'connect-session-knex';
import session, { type SessionData } from 'express-session';
import type { Knex } from 'knex';
import { Passport, type PassportStatic } from 'passport';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { loadSessionUser } from './users.ts';

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;

export function sessionCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-il.sid' : 'il.sid';
}

/**
 * connect-session-knex hands an error to the callback and also rejects the promise it returns,
 * which express-session never looks at: an unhandled rejection, which stops the process, whenever
 * the database fails one session query. Its `touch` does not call back on an error at all, leaving
 * the response waiting. Here every method answers through its callback only.
 */
class SessionStore extends ConnectSessionKnexStore {
  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    return super.get(sid, callback).catch(() => null);
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    return super.set(sid, session, callback).catch(() => undefined);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    return super.destroy(sid, callback).catch(() => 0);
  }

  override touch(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    return super.touch(sid, session).then(() => callback?.(), (err: unknown) => callback?.(err));
  }
}

/**
 * Sessions live in the database (any instance serves any user); the cookie rolls with activity. A
 * session is stored only once something is put in it, which is a sign-in: visitors cost no row.
 */
export function sessionMiddleware(db: Knex, config: Config): RequestHandler {
  const store = new SessionStore({ knex: db, tableName: 'sessions', createTable: false, cleanupInterval: config.env === 'test' ? 0 : 15 * 60_000 });
  return session({
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', path: '/', maxAge: IDLE_MINUTES * 60_000 },
  });
}

/** The id of a session that holds a sign-in, complete or waiting for its second factor; '' for everyone else. */
export function signedInSessionId(req: Request): string {
  const session = req.session as (typeof req.session & { passport?: { user?: unknown } }) | undefined;
  return session && (session.passport?.user !== undefined || session.pendingMfaUserId !== undefined) ? req.sessionID : '';
}

/** Ends sessions older than 12 hours however active they were. */
export const absoluteTimeout: RequestHandler = (req, _res, next) => {
  if (!req.session) return next();
  const created = req.session.createdAt;
  if (created && Date.now() - created > ABSOLUTE_HOURS * 3_600_000) {
    return req.session.regenerate((err) => next(err));
  }
  next();
};

interface SerializedUser {
  id: number;
  epoch: number;
}

/** The session carries the user's id and session epoch; a changed epoch (password change, lock) ends it. */
export function createPassport(db: Knex): PassportStatic {
  const passport = new Passport() as PassportStatic;
  passport.serializeUser((user, done) => {
    const u = user as Express.User & { sessionEpoch?: number };
    done(null, { id: u.id, epoch: u.sessionEpoch ?? 0 } satisfies SerializedUser);
  });
  passport.deserializeUser((data: SerializedUser, done) => {
    loadSessionUser(db, data.id)
      .then((user) => {
        if (!user || user.isLocked || user.sessionEpoch !== data.epoch) return done(null, false);
        done(null, user);
      })
      .catch(done);
  });
  return passport;
}
