// scripts/serve.js serves dist/ for `npm start` and for these tests: right
// MIME types (module scripts and wasm are refused otherwise) and nothing
// outside its folder. Plain HTTP, no browser needed.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, serveOnFreePort, type Serving } from '../../scripts/serve.js';
import { removeDirs, tempDir } from './harness.ts';

let work: string;
let server: Serving;

/** A raw GET: the path goes out exactly as written, `..` and all. */
function get(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

before(async () => {
  work = await tempDir();
  const root = join(work, 'site');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(work, 'secret.txt'), 'TOP-SECRET');
  await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'export {};');
  await writeFile(join(root, 'assets', 'app.css'), 'body{}');
  await writeFile(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, 'assets', 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(root, 'assets', 'data.json'), '{}');
  server = await serve({ root });
});

after(async () => {
  await server?.close();
  await removeDirs(work);
});

test('binds to 127.0.0.1 on a free port', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(server.port > 0);
});

test('serves index.html for the folder and the right MIME types', async () => {
  const cases: [string, RegExp][] = [
    ['/', /^text\/html/],
    ['/?demo', /^text\/html/],
    ['/index.html', /^text\/html/],
    ['/assets/app.js', /^text\/javascript/],
    ['/assets/app.css', /^text\/css/],
    ['/assets/logo.svg', /^image\/svg\+xml/],
    ['/assets/mod.wasm', /^application\/wasm$/],
    ['/assets/data.json', /^application\/json/],
  ];
  for (const [path, type] of cases) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.type, type, path);
  }
});

test('nothing outside the folder can be read', async () => {
  const attempts = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '//..//secret.txt',
    '/%00../secret.txt',
    '/%E0%A4%A',
  ];
  for (const path of attempts) {
    const r = await get(path);
    assert.notEqual(r.status, 200, `${path} answered 200`);
    assert.ok(!r.body.includes('TOP-SECRET'), `${path} leaked the file`);
  }
});

test('missing files are 404 and other methods 405', async () => {
  assert.equal((await get('/nope.js')).status, 404);
  assert.equal((await get('/', 'POST')).status, 405);
  assert.equal((await get('/', 'HEAD')).status, 200);
});

test('serveOnFreePort moves past a port in use', async () => {
  const second = await serveOnFreePort({ root: work, port: server.port });
  try {
    assert.notEqual(second.port, server.port);
    assert.ok(second.port > server.port);
  } finally {
    await second.close();
  }
});
