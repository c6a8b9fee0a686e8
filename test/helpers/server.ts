/**
 * The service under test, for real: `bin/stacksift serve` (or `api`, `worker`, `submit`) as a
 * child process with a chosen environment, or the express app of `createApp` in this process
 * on an ephemeral port over real Redis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { type AppDeps, createApp } from '../../api/app.js';
import { DEFAULT_LIMITS } from '../../config/limits.js';
import { storeKeys } from '../../store/keys.js';
import { createRedis, waitForRedis } from '../../store/redis.js';
import { findFreePort } from '../../store/redis-server.js';
import { ReportStore } from '../../store/report-store.js';
import { SignatureIndex } from '../../store/signature-index.js';
import { closeTriageWorker, createTriageWorker, type TriageWorkerOptions } from '../../worker/main.js';
import type { TriageOutcome } from '../../worker/processor.js';
import { createTriageQueue, type TriageJob } from '../../worker/queue.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STACKSIFT_BIN = fileURLToPath(new URL('../../bin/stacksift', import.meta.url));

/** A running child of the stacksift CLI. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A running `stacksift serve`/`api` with its base URL. */
export interface ServeProcess extends CliProcess {
  url: string;
  port: number;
}

/** Environment for a child: the parent's PATH and HOME, quiet logs, and `env` on top. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', CI: 'true' };
  return Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined));
}

/** Starts `bin/stacksift <args>` (or `node … cli/main.ts` when `direct`, so PATH can be emptied). */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: { direct?: boolean; cwd?: string; detached?: boolean } = {},
): CliProcess {
  const [cmd, argv] = options.direct
    ? [process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../cli/main.ts', import.meta.url)), ...args]]
    : [STACKSIFT_BIN, [...args]];
  const child = spawn(cmd, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, for tests that signal the whole group as a terminal's Ctrl-C does.
    detached: options.detached ?? false,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Starts `bin/stacksift serve` (or `api`) on a free port and resolves once /readyz answers 200.
 * It runs from a fresh empty directory, as for a user who starts stacksift from anywhere:
 * nothing may depend on the working directory being the repository.
 */
export async function startServe(
  env: Record<string, string | undefined>,
  command: 'serve' | 'api' = 'serve',
  timeoutMs = 30_000,
  options: { detached?: boolean } = {},
): Promise<ServeProcess> {
  const port = await findFreePort();
  const cwd = mkdtempSync(join(tmpdir(), 'stacksift-cwd-'));
  const cli = runCli([command], { HOST: '127.0.0.1', PORT: String(port), ...env }, { cwd, ...options });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = cli.child.exitCode !== null || cli.child.signalCode !== null;
    if (ended)
      throw new Error(
        `stacksift ${command} exited early (${cli.child.exitCode ?? cli.child.signalCode}):\n${cli.stderr()}\n${cli.stdout()}`,
      );
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { ...cli, url, port };
    if (Date.now() > deadline) {
      await cli.stop('SIGKILL');
      throw new Error(`stacksift ${command} was not ready within ${timeoutMs} ms:\n${cli.stderr()}\n${cli.stdout()}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The real app in this process on an ephemeral port, with its own connections and queue. */
export interface TestApp {
  url: string;
  deps: AppDeps;
  /** The queue producer's connection (separate from the store's, as in the service). */
  queueConnection: Redis;
  /** Closes the listener, the queue and the connections. */
  close(): Promise<void>;
}

/** Builds `createApp` over real Redis and listens on 127.0.0.1:0. */
export async function startTestApp(
  redisUrl: string,
  prefix: string,
  overrides: Partial<Pick<AppDeps, 'limits' | 'tokens' | 'publicBaseUrl' | 'isDraining'>> = {},
): Promise<TestApp> {
  const redis = createRedis(redisUrl, 'command');
  const queueConnection = createRedis(redisUrl, 'command');
  await Promise.all([waitForRedis(redis, 5_000), waitForRedis(queueConnection, 5_000)]);
  const keys = storeKeys(prefix);
  const limits = overrides.limits ?? DEFAULT_LIMITS;
  const queue = createTriageQueue(queueConnection, prefix);
  queue.on('error', () => {});
  const deps: AppDeps = {
    redis,
    store: new ReportStore(redis, keys, { ttlSeconds: 3600, maxCaseBytes: limits.maxCaseBytes }),
    signatures: new SignatureIndex(redis, keys),
    queue,
    limits,
    tokens: overrides.tokens ?? [],
    publicBaseUrl: overrides.publicBaseUrl ?? null,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(overrides.isDraining ? { isDraining: overrides.isDraining } : {}),
  };
  const server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    queueConnection,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await queue.close().catch(() => {});
      redis.disconnect();
      queueConnection.disconnect();
    },
  };
}

/** A triage worker in this process, with its own connections. */
export interface TestWorker {
  worker: Worker<TriageJob, TriageOutcome>;
  store: ReportStore;
  close(): Promise<void>;
}

/**
 * Starts a triage worker on `prefix`. `storeUrl` lets a test give the worker's store its own
 * Redis user (to make Redis refuse its writes); `timing` shortens locks for stall tests.
 */
export async function startTestWorker(
  redisUrl: string,
  prefix: string,
  options: { storeUrl?: string; timing?: TriageWorkerOptions['timing']; name?: string } = {},
): Promise<TestWorker> {
  const connection = createRedis(redisUrl, 'worker');
  const commands = createRedis(options.storeUrl ?? redisUrl, 'command');
  await waitForRedis(commands, 5_000);
  const store = new ReportStore(commands, storeKeys(prefix), { ttlSeconds: 3600, maxCaseBytes: DEFAULT_LIMITS.maxCaseBytes });
  const worker = createTriageWorker({
    connection,
    prefix,
    concurrency: 1,
    deps: { store, limits: DEFAULT_LIMITS, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) },
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  await worker.waitUntilReady();
  return {
    worker,
    store,
    async close() {
      await closeTriageWorker(worker, 5_000);
      connection.disconnect();
      commands.disconnect();
    },
  };
}
