import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, SERVICE_ENV_NAMES } from './env.js';
import { DEFAULT_LIMITS } from './limits.js';

test('an empty environment gives the documented defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.redisUrl, null);
  assert.equal(c.publicBaseUrl, null);
  assert.equal(c.queuePrefix, '{stacksift}');
  assert.equal(c.workerConcurrency, 1);
  assert.equal(c.logLevel, 'info');
  assert.deepEqual(c.tokens, []);
  assert.equal(c.stateDir, '.stacksift');
  assert.deepEqual(c.limits, { ...DEFAULT_LIMITS });
});

test('empty strings count as unset', () => {
  const c = loadConfig({ PORT: '', REDIS_URL: '', STACKSIFT_TOKENS: '' });
  assert.equal(c.port, 8080);
  assert.equal(c.redisUrl, null);
  assert.deepEqual(c.tokens, []);
});

test('values are parsed: numbers, URLs without trailing slash, comma-separated tokens, limits', () => {
  const c = loadConfig({
    PORT: '9000',
    REDIS_URL: 'redis://:pw@redis:6379/2',
    PUBLIC_BASE_URL: 'https://triage.example/',
    STACKSIFT_TOKENS: ' a1 ,, b2 ',
    WORKER_CONCURRENCY: '2',
    MAX_UPLOAD_BYTES: '1024',
    MAX_FILES: '4',
  });
  assert.equal(c.port, 9000);
  assert.equal(c.redisUrl, 'redis://:pw@redis:6379/2');
  assert.equal(c.publicBaseUrl, 'https://triage.example');
  assert.deepEqual(c.tokens, ['a1', 'b2']);
  assert.equal(c.workerConcurrency, 2);
  assert.equal(c.limits.maxRequestBytes, 1024);
  assert.equal(c.limits.maxFiles, 4);
});

const invalid: [string, Record<string, string>, RegExp][] = [
  ['a port that is not a number', { PORT: 'http' }, /PORT/],
  ['a port out of range', { PORT: '70000' }, /PORT/],
  ['a Redis URL of another scheme', { REDIS_URL: 'http://redis:6379' }, /REDIS_URL/],
  ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ['a queue prefix with a colon', { QUEUE_PREFIX: 'a:b' }, /QUEUE_PREFIX/],
  ['a zero upload limit', { MAX_UPLOAD_BYTES: '0' }, /MAX_UPLOAD_BYTES/],
];
for (const [name, env, pattern] of invalid) {
  test(`fails fast on ${name}, naming the variable`, () => {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && pattern.test(err.message),
    );
  });
}

test('SERVICE_ENV_NAMES lists what the service reads', () => {
  for (const name of [
    'PORT',
    'HOST',
    'REDIS_URL',
    'PUBLIC_BASE_URL',
    'QUEUE_PREFIX',
    'STACKSIFT_TOKENS',
    'MAX_UPLOAD_BYTES',
    'MAX_FILES',
  ]) {
    assert.ok(SERVICE_ENV_NAMES.includes(name), name);
  }
});
