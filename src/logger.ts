/** Structured logs through pino; the level comes from LOG_LEVEL (default info, silent under jest). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info')): Logger {
  return pino({ level, base: { service: 'medgen-data' } });
}
