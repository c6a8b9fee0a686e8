/**
 * `stacksift serve | api | worker`: the long-running service commands. `serve` runs the API,
 * the worker and the pages in one process and, without REDIS_URL, a private redis-server;
 * `api` and `worker` run the halves apart against one shared Redis (scale by adding workers).
 * SIGINT/SIGTERM shut down in order: not ready, HTTP closed, worker drained (bounded),
 * queue and Redis closed, private redis-server stopped.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { type Logger, pino } from 'pino';
import { type ApiService, PortInUseError, startApiService } from '../api/server.js';
import { ConfigError, loadConfig, type ServiceConfig } from '../config/env.js';
import { findRedisServer, type LocalRedis, StateDirInUseError, startLocalRedis } from '../store/redis-server.js';
import { startWorkerService, type WorkerService } from '../worker/main.js';

type Part = 'serve' | 'api' | 'worker';

/** Grace for requests in flight, and the deadline for a running job, before closing harder. */
const HTTP_GRACE_MS = 10_000;
const WORKER_DEADLINE_MS = 25_000;

/** Adds `serve`, `api` and `worker` to the program. */
export function registerServiceCommands(program: Command): void {
  program
    .command('serve')
    .description('run the API, the worker and the web pages in one process (starts its own redis-server when REDIS_URL is unset)')
    .action(() => runService('serve'));
  program
    .command('api')
    .description('run only the HTTP API and pages against REDIS_URL')
    .action(() => runService('api'));
  program
    .command('worker')
    .description('run only a triage worker against REDIS_URL (run several to go faster)')
    .action(() => runService('worker'));
}

async function runService(part: Part): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(2, `stacksift ${part}: ${err.message}`);
  }
  if (config.redisUrl === null && part !== 'serve') {
    return fail(2, `stacksift ${part}: set REDIS_URL (e.g. redis://127.0.0.1:6379); only \`stacksift serve\` starts a Redis of its own`);
  }
  if (config.redisUrl === null && findRedisServer() === null) {
    return fail(2, 'stacksift serve: Redis is needed: install it (apt-get install redis-server) or set REDIS_URL=redis://host:6379');
  }
  // `command` is what was run (serve, api, worker); each half adds its own `part`.
  const logger = pino({ level: config.logLevel, base: { service: 'stacksift', command: part } });
  const running: { redis?: LocalRedis; api?: ApiService; worker?: WorkerService } = {};
  // A second signal exits at once; the private redis-server must not be left behind.
  const stopping = onceSignalled(() => running.redis?.kill());
  try {
    let redisUrl = config.redisUrl;
    if (redisUrl === null) {
      running.redis = await startPrivateRedis(config, logger);
      redisUrl = running.redis.url;
    }
    if (part !== 'api') running.worker = await startWorkerService(config, redisUrl, logger);
    if (part !== 'worker') running.api = await startApiService(config, redisUrl, logger);
    logger.info({ url: running.api?.url }, running.api ? `stacksift ${part} listening on ${running.api.url}` : 'stacksift worker started');
    logger.info({ signal: await stopping }, 'shutting down');
  } catch (err) {
    logger.error({ err }, 'start-up failed');
    if (err instanceof PortInUseError || err instanceof StateDirInUseError) fail(2, `stacksift: ${err.message}`);
    else fail(1, `stacksift ${part}: could not start: ${(err as Error).message.split('\n')[0]}`);
  }
  const { api, worker, redis } = running;
  await api?.stop(HTTP_GRACE_MS).catch((err: unknown) => logger.error({ err }, 'closing the API failed'));
  const drained = await worker?.stop(WORKER_DEADLINE_MS).catch((err: unknown) => logger.error({ err }, 'closing the worker failed'));
  await redis?.stop().catch((err: unknown) => logger.error({ err }, 'stopping the private redis-server failed'));
  stopping.dispose();
  logger.info('stopped');
  // A job cut off at the deadline still runs in its analysis thread, which would keep the
  // process alive; its lock expires and another worker picks it up.
  if (drained === 'forced') process.exit();
}

/** Starts the private redis-server of `serve`, with its data in the state directory. */
async function startPrivateRedis(config: ServiceConfig, logger: Logger): Promise<LocalRedis> {
  const dir = join(config.stateDir, 'redis');
  const redis = await startLocalRedis({ dir, persist: true });
  logger.info({ dir, port: redis.port, pid: redis.pid }, 'started a private redis-server');
  return redis;
}

function fail(code: number, line: string): void {
  process.stderr.write(`${line}\n`);
  process.exitCode = code;
}

/** A promise of the first SIGINT/SIGTERM; a second signal exits at once for an impatient user. */
function onceSignalled(beforeExit: () => void): Promise<NodeJS.Signals> & { dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    let seen = false;
    onSignal = (signal) => {
      if (seen) {
        beforeExit();
        process.exit(130);
      }
      seen = true;
      resolve(signal);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return Object.assign(promise, {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  });
}
