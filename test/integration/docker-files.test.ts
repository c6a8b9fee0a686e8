/**
 * What can be checked of docker/ without a Docker engine: compose.yaml parses and wires the
 * services to commands and variables the app really has; the Dockerfile's stages, user,
 * health check and command point at files that exist once the sources are built.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { parse } from 'yaml';
import { registerServiceCommands } from '../../cli/serve.js';
import { SERVICE_ENV_NAMES } from '../../config/env.js';
import { findFreePort } from '../../store/redis-server.js';
import { eventually, startTestRedis, testPrefix } from '../helpers/redis.js';
import { childEnv, REPO_ROOT } from '../helpers/server.js';
import { CORPUS_DIR } from '../support/corpus.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { disable?: boolean; test?: string[] };
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const dockerfile = readFileSync(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
/** Dockerfile instructions with continuation lines joined. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

function serviceCommands(): string[] {
  const program = new Command();
  registerServiceCommands(program);
  return program.commands.map((c) => c.name());
}

test('compose runs api, worker (2 replicas) and redis from the one image', () => {
  const { api, worker, redis } = compose.services;
  assert.ok(api && worker && redis, 'services api, worker and redis');
  const commands = serviceCommands();
  assert.deepEqual(api.command, ['api']);
  assert.deepEqual(worker.command, ['worker']);
  for (const s of [api, worker]) {
    assert.ok(commands.includes(s.command?.[0] ?? ''), `${s.command?.[0]} is a stacksift command`);
    assert.equal(s.build?.dockerfile, 'docker/Dockerfile');
    assert.ok(
      existsSync(join(REPO_ROOT, 'docker', s.build?.context ?? '', s.build?.dockerfile ?? '')),
      'the build context holds the Dockerfile',
    );
  }
  assert.equal(worker.deploy?.replicas, 2);
  assert.equal(worker.healthcheck?.disable, true, 'workers have no HTTP server to check');
  assert.equal(worker.ports, undefined);
});

test('compose wires only variables the service reads, and points them at the redis service', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    if (name === 'redis') continue;
    for (const key of Object.keys(service.environment ?? {}))
      assert.ok(SERVICE_ENV_NAMES.includes(key), `${name}: ${key} is read by the app`);
    assert.equal(service.environment?.REDIS_URL, 'redis://redis:6379');
  }
  const api = compose.services.api;
  assert.ok(api?.environment?.PUBLIC_BASE_URL, 'links point at the published address');
  assert.equal(api?.environment?.HOST, '0.0.0.0', 'reachable from outside the container');
  const port = api?.environment?.PORT;
  assert.ok(
    api?.ports?.some((p) => p.endsWith(`:${port}`)),
    `the API's PORT ${port} is published`,
  );
  assert.ok(instructions.includes(`EXPOSE ${port}`));
});

test('redis keeps its data (AOF every second) and never evicts', () => {
  const redis = compose.services.redis;
  assert.match(redis?.image ?? '', /^redis:7/);
  const args = (redis?.command ?? []).join(' ');
  for (const flag of ['--appendonly yes', '--appendfsync everysec', '--maxmemory-policy noeviction']) assert.ok(args.includes(flag), flag);
  const volume = redis?.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0] ?? '';
  assert.ok(volume in (compose.volumes ?? {}), 'a named volume holds /data');
});

test('the Dockerfile builds in stages on node:20-bookworm-slim and runs as a non-root user', () => {
  const stages = instructions.filter((l) => l.startsWith('FROM '));
  assert.ok(stages.length >= 2, 'multi-stage');
  for (const s of stages) assert.match(s, /^FROM node:20-bookworm-slim AS [a-z-]+$/);
  const final = instructions.slice(instructions.lastIndexOf(stages.at(-1) ?? ''));
  const user = final
    .find((l) => l.startsWith('USER '))
    ?.slice(5)
    .trim();
  assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
  assert.ok(instructions.some((l) => /^RUN npm ci( |$)/.test(l)));
  assert.ok(instructions.some((l) => l.startsWith('RUN npm run build')));
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.build ?? '', /tsc -p tsconfig\.build\.json/);
  const health = final.find((l) => l.startsWith('HEALTHCHECK '));
  assert.match(health ?? '', /\/healthz/);
  for (const line of instructions.filter((l) => /^COPY (?!--from)/.test(l))) {
    for (const source of line.split(/\s+/).slice(1, -1)) assert.ok(existsSync(join(REPO_ROOT, source)), `COPY source ${source} exists`);
  }
});

test('the image entry point is a file the build produces, and the built service runs', async () => {
  const entry = JSON.parse(instructions.find((l) => l.startsWith('ENTRYPOINT '))?.slice(11) ?? '[]') as string[];
  const cmd = JSON.parse(instructions.find((l) => l.startsWith('CMD '))?.slice(4) ?? '[]') as string[];
  const script = entry.find((a) => a.endsWith('.js')) ?? '';
  assert.equal(script, 'dist/cli/main.js');
  assert.deepEqual(cmd, ['serve']);
  assert.ok(serviceCommands().includes(cmd[0] ?? ''));
  // Build as the Dockerfile does (`npm run build`, then web/static beside the pages) into a
  // scratch folder, and run the result: compiled CLI, analysis thread and static files.
  const out = mkdtempSync(join(tmpdir(), 'stacksift-build-'));
  const redis = await startTestRedis();
  let serve: ReturnType<typeof spawn> | undefined;
  try {
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(out, 'dist')],
      {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      },
    );
    assert.ok(existsSync(join(out, script)), `${script} is built`);
    cpSync(join(REPO_ROOT, 'web/static'), join(out, 'dist/web/static'), { recursive: true, force: false });
    copyFileSync(join(REPO_ROOT, 'package.json'), join(out, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(out, 'node_modules'));
    const help = execFileSync(process.execPath, [join(out, script), '--help'], { cwd: out, encoding: 'utf8' });
    for (const command of ['serve', 'api', 'worker', 'submit']) assert.match(help, new RegExp(`^\\s+${command}\\b`, 'm'));

    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    serve = spawn(process.execPath, [...entry.slice(1), ...cmd], {
      cwd: out,
      env: childEnv({ REDIS_URL: redis.url, PORT: String(port), QUEUE_PREFIX: testPrefix('dist') }),
      stdio: 'ignore',
    });
    await eventually('the built service to be ready', async () =>
      (await fetch(`${url}/readyz`).catch(() => null))?.status === 200 ? true : undefined,
    );
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(CORPUS_DIR, 'py-gil-gthread-40', 'gdb-bt.txt'))]), 'gdb-bt.txt');
    const { id } = (await (await fetch(`${url}/api/v1/dumps`, { method: 'POST', body: form })).json()) as { id: string };
    const status = await eventually('the built worker to finish', async () => {
      const body = (await (await fetch(`${url}/api/v1/reports/${id}`)).json()) as { status: string };
      return body.status === 'done' || body.status === 'failed' ? body.status : undefined;
    });
    assert.equal(status, 'done');
    assert.equal((await fetch(`${url}/static/app.css`)).status, 200);
  } finally {
    serve?.kill('SIGTERM');
    if (serve && serve.exitCode === null) await once(serve, 'exit');
    await redis.stop();
    rmSync(out, { recursive: true, force: true });
  }
});
