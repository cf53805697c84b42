/**
 * Configuration from the environment (SPEC "Configuration"); the CLI passes its flags as overrides so a
 * flag and its variable always mean the same thing.
 */
import path from 'node:path';
import { DEFAULT_MATCH_THRESHOLDS } from './match/match-grade.js';

/**
 * MEDGEN_VALIDATE_WRITES: `strict` refuses invalid REST writes (400 or 422); `warn` stores them and answers
 * their errors as warnings (the response OperationOutcome and a `Warning` header); `off` checks only that the
 * body is a resource of the right type.
 */
export type WriteValidation = 'strict' | 'warn' | 'off';
const WRITE_VALIDATION_MODES: readonly string[] = ['strict', 'warn', 'off'] satisfies WriteValidation[];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri?: string;
  mongodbDb: string;
  /** Server-side limit on each MongoDB read, in ms (MONGODB_TIMEOUT_MS). */
  mongodbTimeoutMs: number;
  /** How long to wait for a MongoDB server to answer, at connect and for each operation, in ms (MONGODB_CONNECT_TIMEOUT_MS). */
  mongodbConnectTimeoutMs: number;
  /** Bearer tokens; empty means no authentication (then only loopback hosts may be bound). */
  apiKeys: string[];
  /** Largest request body accepted, in bytes (413 beyond). */
  bodyLimitBytes: number;
  /** Origins whose browser apps may call the server (MEDGEN_CORS_ORIGINS), or `*`; empty: no CORS headers. */
  corsOrigins: string[];
  /** How REST creates, updates and batch/transaction entries are validated (MEDGEN_VALIDATE_WRITES). */
  validateWrites: WriteValidation;
  /** Where files live (MEDGEN_FILES_URL): unset for the data folder, or `s3://bucket/prefix`. */
  filesUrl?: string;
  /** Where backups go (MEDGEN_BACKUP_URL, `--target`), when apart from the files; same forms. */
  backupUrl?: string;
  /** How many jobs one process runs at once (MEDGEN_JOB_CONCURRENCY). */
  jobConcurrency: number;
  /** How long a job stays claimed by a process that stopped renewing it, in ms (MEDGEN_JOB_LEASE_MS). */
  jobLeaseMs: number;
  /** How long finished jobs and their files are kept, in days (MEDGEN_JOB_RETENTION_DAYS). */
  jobRetentionDays: number;
  /** The secret behind de-identified ids and date shifts (MEDGEN_DEID_KEY, `--key`); unset: no de-identification. */
  deidKey?: string;
  /** Patient matches scoring at least this (0..1) are certain: merged by dedupe (MEDGEN_MATCH_THRESHOLD). */
  matchThreshold: number;
  /** Patient matches scoring at least this are possible: listed for review (MEDGEN_POSSIBLE_MATCH_THRESHOLD). */
  possibleMatchThreshold: number;
  /**
   * URL prefixes a Subscription's rest-hook endpoint must start with (MEDGEN_SUBSCRIPTION_ENDPOINTS); empty: any
   * https URL, and http only to this machine (src/events/endpoint-rules.ts).
   */
  subscriptionEndpoints: string[];
  /** How long a failing subscription is retried before its pending events are dropped, in ms (MEDGEN_SUBSCRIPTION_HORIZON). */
  subscriptionHorizonMs: number;
  /** The key of the X-Medgen-Signature HMAC (MEDGEN_SUBSCRIPTION_SECRET); unset: a random key kept in the store. */
  subscriptionSecret?: string;
}

export type ConfigOverrides = Partial<Config>;

const DEFAULT_BODY_LIMIT = 50 * 1024 * 1024;
/** Defaults of MONGODB_TIMEOUT_MS and MONGODB_CONNECT_TIMEOUT_MS, also for stores opened without a Config. */
export const DEFAULT_MONGODB_TIMEOUT_MS = 30_000;
export const DEFAULT_MONGODB_CONNECT_TIMEOUT_MS = 10_000;
/**
 * A job whose process died waits this long before another takes it over; renewals come every third of it, so
 * two may fail before a live owner loses its job.
 */
export const DEFAULT_JOB_LEASE_MS = 30_000;
/** MEDGEN_SUBSCRIPTION_HORIZON's default: a receiver down for a day loses what it missed, not more. */
export const DEFAULT_SUBSCRIPTION_HORIZON_MS = 24 * 60 * 60 * 1000;

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}

function parseBodyLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_BODY_LIMIT;
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!match) throw new Error(`MEDGEN_BODY_LIMIT must be a size such as 50mb, got "${raw}"`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Number(match[1]) * unit;
}

/**
 * Parses MEDGEN_CORS_ORIGINS: `*`, or origins separated by commas, each `scheme://host[:port]` with nothing after.
 * Throws on anything else, so a typo does not silently leave an app locked out or open.
 */
function parseCorsOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') continue;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new Error(`MEDGEN_CORS_ORIGINS must list origins such as http://localhost:3000 (no path or trailing slash), or *, got "${origin}"`);
    }
  }
  return origins;
}

function parseValidateWrites(raw: string | undefined): WriteValidation {
  if (raw === undefined || raw === '') return 'strict';
  const mode = raw.trim().toLowerCase();
  if (!WRITE_VALIDATION_MODES.includes(mode)) throw new Error(`MEDGEN_VALIDATE_WRITES must be strict, warn or off, got "${raw}"`);
  return mode as WriteValidation;
}

function parseMs(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name} must be a positive number of milliseconds, got "${raw}"`);
  return ms;
}

/** A probability strictly between 0 and 1. */
function parseProbability(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new Error(`${name} must be a number between 0 and 1, got "${raw}"`);
  return n;
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/**
 * MEDGEN_LINEAGE: `on` (the default) stamps meta.source on what imports and jobs write and records Provenance
 * per batch (src/lineage); `off` does neither, for the benchmark's baseline. Jobs read it when they start
 * (an import's own option overrides it), so every entry point honours it without carrying a Config.
 */
export function lineageEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env.MEDGEN_LINEAGE ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`MEDGEN_LINEAGE must be on or off, got "${env.MEDGEN_LINEAGE}"`);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `24h`, `90m`, `30s`, `500ms`, `2d`, or a bare number of milliseconds. */
function parseDuration(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(raw.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS[(match[2] ?? 'ms').toLowerCase()] : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new Error(`${name} must be a positive duration such as 24h, 90m or 30s, got "${raw}"`);
  return ms;
}

/**
 * Parses MEDGEN_SUBSCRIPTION_ENDPOINTS: http(s) URL prefixes separated by commas. Throws on anything else, so a
 * typo does not silently leave subscriptions refused or a private address open.
 */
function parseEndpointPrefixes(raw: string | undefined): string[] {
  const prefixes = (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const prefix of prefixes) {
    let url: URL | undefined;
    try {
      url = new URL(prefix);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.username !== '' || url.password !== '') {
      throw new Error(`MEDGEN_SUBSCRIPTION_ENDPOINTS must list http(s) URL prefixes such as https://hooks.example.org/, got "${prefix}"`);
    }
  }
  return prefixes;
}

/** Reads the configuration from `env`, then applies the overrides that are set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const config: Config = {
    port: parsePort(env.PORT),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.MEDGEN_DATA_DIR || './data'),
    mongodbUri: env.MONGODB_URI || undefined,
    mongodbDb: env.MONGODB_DB || 'medgen',
    mongodbTimeoutMs: parseMs('MONGODB_TIMEOUT_MS', env.MONGODB_TIMEOUT_MS, DEFAULT_MONGODB_TIMEOUT_MS),
    mongodbConnectTimeoutMs: parseMs('MONGODB_CONNECT_TIMEOUT_MS', env.MONGODB_CONNECT_TIMEOUT_MS, DEFAULT_MONGODB_CONNECT_TIMEOUT_MS),
    apiKeys: (env.MEDGEN_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    bodyLimitBytes: parseBodyLimit(env.MEDGEN_BODY_LIMIT),
    corsOrigins: parseCorsOrigins(env.MEDGEN_CORS_ORIGINS),
    validateWrites: parseValidateWrites(env.MEDGEN_VALIDATE_WRITES),
    filesUrl: env.MEDGEN_FILES_URL || undefined,
    backupUrl: env.MEDGEN_BACKUP_URL || undefined,
    jobConcurrency: parsePositiveInt('MEDGEN_JOB_CONCURRENCY', env.MEDGEN_JOB_CONCURRENCY, 1),
    jobLeaseMs: parseMs('MEDGEN_JOB_LEASE_MS', env.MEDGEN_JOB_LEASE_MS, DEFAULT_JOB_LEASE_MS),
    jobRetentionDays: parsePositiveInt('MEDGEN_JOB_RETENTION_DAYS', env.MEDGEN_JOB_RETENTION_DAYS, 30),
    deidKey: env.MEDGEN_DEID_KEY || undefined,
    matchThreshold: parseProbability('MEDGEN_MATCH_THRESHOLD', env.MEDGEN_MATCH_THRESHOLD, DEFAULT_MATCH_THRESHOLDS.match),
    possibleMatchThreshold: parseProbability('MEDGEN_POSSIBLE_MATCH_THRESHOLD', env.MEDGEN_POSSIBLE_MATCH_THRESHOLD, DEFAULT_MATCH_THRESHOLDS.possible),
    subscriptionEndpoints: parseEndpointPrefixes(env.MEDGEN_SUBSCRIPTION_ENDPOINTS),
    subscriptionHorizonMs: parseDuration('MEDGEN_SUBSCRIPTION_HORIZON', env.MEDGEN_SUBSCRIPTION_HORIZON, DEFAULT_SUBSCRIPTION_HORIZON_MS),
    subscriptionSecret: env.MEDGEN_SUBSCRIPTION_SECRET || undefined,
  };
  // Checked here so a typo stops the server at start rather than the first import.
  lineageEnabled(env);
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  config.dataDir = path.resolve(config.dataDir);
  if (config.possibleMatchThreshold >= config.matchThreshold) {
    throw new Error(`MEDGEN_POSSIBLE_MATCH_THRESHOLD (${config.possibleMatchThreshold}) must be below MEDGEN_MATCH_THRESHOLD (${config.matchThreshold})`);
  }
  return config;
}

/** Whether a host name or address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
