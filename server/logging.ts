import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';
import { withoutCsrfToken } from './http/csrf.ts';

/*
 * The log: in development one short readable line per event on the terminal; in production JSON
 * lines for a log collector; no request lines below the info level (tests run silent).
 */

/**
 * Anything that signs a request in is censored in every log line: a session cookie or token copied
 * from a log would act as its user.
 */
const REDACT = { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'req.query._csrf', 'res.headers["set-cookie"]'], censor: '[Redacted]' };

/** The app's logger, on stdout unless told another destination (tests read what it writes). */
export function createLogger(config: Config, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: REDACT };
  if (config.env !== 'development') return destination ? pino(options, destination) : pino(options);
  // In the process, synchronously: a line is on the terminal before the process can exit, and no worker thread is left behind.
  const lines = pretty({ sync: true, colorize: destination ? false : (process.stdout.isTTY ?? false), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,req,res,responseTime,reqId', singleLine: true, ...(destination ? { destination } : {}) });
  return pino(options, lines);
}

/** Stylesheets, scripts and the icon: a page's own assets, not worth a log line each. */
function isAsset(url: string | undefined): boolean {
  return !url || url.startsWith('/static/') || url === '/favicon.ico';
}

/**
 * One line a request once it is answered ("GET /commitments 200 12 ms"), at warn for 4xx and error
 * for 5xx; none for the assets. In production the line carries the request and response as JSON too.
 */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    autoLogging: logger.isLevelEnabled('info') ? { ignore: (req: IncomingMessage) => isAsset(req.url) } : false,
    quietReqLogger: true,
    // An upload form posts its CSRF token in the URL: the logged URL leaves it out.
    serializers: { req: (req: { url: string }) => ({ ...req, url: withoutCsrfToken(req.url) }) },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, responseTime: number) => `${req.method} ${withoutCsrfToken(req.url ?? '')} ${res.statusCode} ${Math.round(responseTime)} ms`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse, err: Error) => `${req.method} ${withoutCsrfToken(req.url ?? '')} ${res.statusCode} ${err.message}`,
  });
}
