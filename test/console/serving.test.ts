/** How /console is served: one shell for every console path, modules with types stripped, no file outside app/. */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { serverPerFile } from '../support/http.ts';

const s = serverPerFile();

const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

describe('console serving', () => {
  it('console › every console path gets the shell, with an import map the CSP allows', async () => {
    for (const url of ['/console', '/console/', '/console/templates/abc', '/console/cashier']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /<script type="importmap">\{"imports":\{"preact":"\/console\/vendor\/preact\.js"/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    }
  });

  it('console › browser TypeScript is served as JavaScript without its types', async () => {
    const res = await get('/console/app/lib/api.ts');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/javascript/);
    assert.match(res.body, /export class ApiError extends Error/);
    assert.doesNotMatch(res.body, /export interface Problem|: Promise<T>/);
    const js = await import(`data:text/javascript,${encodeURIComponent((await get('/console/app/lib/format.ts')).body)}`);
    assert.equal(js.money(123456), '¥1234.56');
    assert.equal(js.yuanToFen('12.5'), 1250);
  });

  it('console › answers gzip and 304 when the browser has the file', async () => {
    const plain = await get('/console/app/styles.css');
    const zipped = await get('/console/app/styles.css', { 'accept-encoding': 'gzip, br' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.body);
    const again = await get('/console/app/styles.css', { 'if-none-match': String(plain.headers.etag) });
    assert.equal(again.statusCode, 304);
  });

  it('console › serves the chart and view libraries from node_modules, nothing else', async () => {
    const echarts = await get('/console/vendor/echarts.js');
    assert.equal(echarts.statusCode, 200);
    assert.match(echarts.body.slice(0, 2000), /Apache/);
    assert.equal((await get('/console/vendor/preact.js')).statusCode, 200);
    assert.equal((await get('/console/vendor/fastify.js')).statusCode, 404);
    assert.equal((await get('/console/vendor/..%2F..%2Fpackage.json')).statusCode, 404);
  });

  it('console › refuses files outside the app folder and unknown kinds', async () => {
    for (const url of ['/console/app/../plugin.ts', '/console/app/%2e%2e/plugin.ts', '/console/app/..%2Fplugin.ts', '/console/app/nope.ts', '/console/app/lib/api.ts.map']) {
      const res = await get(url);
      // Either refused, or (a normalised path) the HTML shell: never a source file.
      assert.ok(res.statusCode === 404 || /text\/html/.test(String(res.headers['content-type'])), `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /consolePlugin|stripTypeScriptTypes/, url);
    }
  });

  it('console › stays out of /openapi.json', async () => {
    const doc = JSON.parse((await get('/openapi.json')).body);
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/console')));
  });
});
