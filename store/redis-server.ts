/**
 * Starts a private `redis-server` for `bin/stacksift serve` when no REDIS_URL is given, so
 * one command runs the whole service on a laptop. Data lives in the state directory with
 * AOF on, so a restart keeps reports; the server is stopped when the service stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';

/** A redis-server this process started. */
export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  /** Stops the server (SIGTERM, so it flushes its AOF) and waits until it has exited. */
  stop(): Promise<void>;
  /** Sends SIGTERM now without waiting, for a process about to exit. */
  kill(): void;
}

export interface LocalRedisOptions {
  /** Working directory for AOF/RDB files and the pid file; created when missing. */
  dir: string;
  /** Keep data across restarts with an append-only file (true for serve, false for tests). */
  persist: boolean;
  port?: number;
  /** How long to wait for the server to answer PING. */
  startTimeoutMs?: number;
}

/** Path of `redis-server` on PATH, or null when it is not installed. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (listen on 0, read it, close). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not read the port of a probe listener'));
      });
    });
  });
}

/** Starts redis-server on 127.0.0.1 and resolves once it answers PING. */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const binary = findRedisServer();
  if (binary === null) throw new Error('redis-server is not on PATH');
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const releaseLock = lockDirectory(dir);
  try {
    return await startLocked(binary, dir, options, releaseLock);
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** The directory already belongs to a live process (another `stacksift serve`). */
export class StateDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super(`another stacksift serve (pid ${ownerPid}) is using ${dir}; stop it or set STACKSIFT_STATE_DIR`);
    this.name = 'StateDirInUseError';
  }
}

/**
 * Takes `dir/owner.pid` (created exclusively) for this process, so a second service in the same
 * directory refuses to start instead of stopping the first one's redis-server. A file left by a
 * process that is gone is taken over. Returns the release function.
 */
function lockDirectory(dir: string): () => void {
  const lockFile = join(dir, 'owner.pid');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
        } catch {}
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new StateDirInUseError(dir, readOwner(lockFile));
        throw err;
      }
      const owner = readOwner(lockFile);
      if (owner > 0 && isAlive(owner)) throw new StateDirInUseError(dir, owner);
      // Stale (its owner was killed): take it over.
      try {
        unlinkSync(lockFile);
      } catch {}
    }
  }
}

function readOwner(lockFile: string): number {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) ? pid : 0;
  } catch {
    return 0;
  }
}

async function startLocked(binary: string, dir: string, options: LocalRedisOptions, releaseLock: () => void): Promise<LocalRedis> {
  await stopLeftoverServer(join(dir, 'redis.pid'));
  const port = options.port ?? (await findFreePort());
  // biome-ignore format: flag/value pairs read best one per line
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--pidfile', join(dir, 'redis.pid'),
    '--save', '',
    '--appendonly', options.persist ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    // BullMQ loses jobs under any evicting policy.
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  // Its own process group: a Ctrl-C to the terminal's group must not stop Redis before the
  // service has drained; the service stops it last.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitForPing(port, child, options.startTimeoutMs ?? 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${(err as Error).message}${output ? `\n${output.trim()}` : ''}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: () => stopChild(child, exited).finally(releaseLock),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A service killed with SIGKILL cannot stop its redis-server; the next start finds the pid
 * file and stops that orphan, so two servers never write the same append-only file. Only
 * called with the directory's lock held, so the server found is never a live service's.
 */
async function stopLeftoverServer(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1 || !isRedisProcess(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
}

function isRedisProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPing(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before it was ready`);
    if (await answersPing(port)) return;
    await sleep(50);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
