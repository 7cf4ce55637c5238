/** Template `display` is bounded on every way in: native create and patch, and data set import. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importDataset } from '../../../src/app/data/import-dataset.ts';
import { ACTOR, aTemplate, aTenantWithKeys } from '../../support/factories.ts';
import { call, serverPerFile } from '../../support/http.ts';

const s = serverPerFile();

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

/** Displays refused, and the field each refusal must name. */
const REFUSED: Array<[string, Record<string, unknown>, string]> = [
  ['text over 2000 characters', { content: 'x'.repeat(2001) }, 'display.content'],
  ['text over 2000 emoji', { content: '😀'.repeat(2001) }, 'display.content'],
  ['a key over 64 characters', { ['k'.repeat(65)]: 1 }, `display.${'k'.repeat(65)}`],
  ['more than 50 keys', many(51), 'display'],
  ['a list over 50 items', { tags: Array.from({ length: 51 }, () => 't') }, 'display.tags'],
  ['long text inside a list', { tags: ['ok', 'y'.repeat(2001)] }, 'display.tags.1'],
  ['long text inside an object', { org: { name: 'z'.repeat(2001) } }, 'display.org.name'],
  ['nested deeper than two levels', { a: { b: { c: { d: 1 } } } }, 'display.a.b.c'],
  ['a list in a list in a list', { a: [[['deep']]] }, 'display.a.0.0'],
  // `.` in a key pattern stops at line breaks: such keys must meet the same limits at every level.
  ['a line break in a key', { 'brand\n': { list: Array.from({ length: 51 }, () => 1) } }, 'display.brand\n.list'],
  ['U+2028 as a key', { '\u2028': 'x'.repeat(2001) }, 'display.\u2028'],
  ['a line break in a nested key', { org: { 'name\r\n': 'z'.repeat(2001) } }, 'display.org.name\r\n'],
  ['nested deeper under line-break keys', { 'a\n': { 'b\u2029': { 'c\r': { d: 1 } } } }, 'display.a\n.b\u2029.c\r'],
  ['more than 32 KiB in all', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`t${i}`, '文'.repeat(600)])), 'display'],
];

const ACCEPTED = {
  picUrl: '/upload_img/x.jpg',
  color: 'Color010',
  content: 'c'.repeat(2000),
  orgUse: 0,
  open: true,
  none: null,
  tags: Array.from({ length: 50 }, (_, i) => `tag${i}`),
  org: { name: '海底捞', codes: ['a', 'b'], address: { city: 'x' } },
  rows: [{ label: 'a', value: 1 }, ['x', 2]],
  // Kept, and not dropped from the response, however a key is spelled.
  'brand\n': '海底捞',
  '\u2028': { 'k\r\n': [1, 'x'] },
  // Characters are counted as JSON Schema counts them: an emoji is one (two UTF-16 units).
  slogan: '😀'.repeat(2000),
  ['🎫'.repeat(64)]: 1,
};

async function snapshot(tenantId: string) {
  return JSON.stringify(await s.rt.store.q.templates.listAll(tenantId));
}

describe('template display limits', () => {
  it('templates › create refuses an oversized display with a 400 naming the field, and stores nothing', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const before = await snapshot(tenant.id);
    for (const [what, display, field] of REFUSED) {
      const r = await call(s.app, 'POST', '/v1/templates', keys.merchant, { name: 'x', kind: 'cash', amount: 100, display });
      assert.equal(r.status, 400, `${what}: ${r.status}`);
      assert.equal(r.body.code, 'validation_failed');
      assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${what}: ${field} not named in ${JSON.stringify(r.body.errors)}`);
    }
    assert.equal(await snapshot(tenant.id), before);
  });

  it('templates › patch refuses an oversized display and leaves the template as it was', async () => {
    const { tenant, keys } = await aTenantWithKeys(s.rt.deps);
    const tpl = await aTemplate(s.rt.deps, tenant.id, { display: { color: 'Color020' } });
    const before = await snapshot(tenant.id);
    for (const [what, display, field] of REFUSED) {
      const r = await call(s.app, 'PATCH', `/v1/templates/${tpl.id}`, keys.merchant, { display });
      assert.equal(r.status, 400, `${what}: ${r.status}`);
      assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${what}: ${field} not named in ${JSON.stringify(r.body.errors)}`);
    }
    assert.equal(await snapshot(tenant.id), before);
  });

  it('templates › a display within the limits (text, numbers, lists, two levels of nesting) is kept as sent', async () => {
    const { keys } = await aTenantWithKeys(s.rt.deps);
    const r = await call(s.app, 'POST', '/v1/templates', keys.merchant, { name: 'x', kind: 'cash', amount: 100, display: ACCEPTED });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.display, ACCEPTED);
    const p = await call(s.app, 'PATCH', `/v1/templates/${r.body.id}`, keys.merchant, { display: many(50) });
    assert.equal(p.status, 200, JSON.stringify(p.body));
  });

  it('templates › the OpenAPI document states the display limits', async () => {
    const doc = (await call(s.app, 'GET', '/openapi.json', null)).body;
    const display = doc.paths['/v1/templates'].post.requestBody.content['application/json'].schema.properties.display;
    assert.equal(display.maxProperties, 50);
    assert.match(display.description, /2000 characters/);
  });

  it('import › a data set template with an oversized display is refused naming the field, and nothing is imported', async () => {
    for (const [what, display, field] of REFUSED) {
      const id = `display-import-${REFUSED.findIndex((x) => x[0] === what)}`;
      const doc = { tenants: [{ id, name: 'Import Co', templates: [{ id: 't1', name: 'x', kind: 'cash', amount: 100, display }] }] };
      await assert.rejects(importDataset(s.rt.deps, doc, { actor: ACTOR }), (e: { code?: string; details?: { errors?: Array<{ field: string }> } }) => {
        assert.equal(e.code, 'validation_failed', what);
        const fields = (e.details?.errors ?? []).map((x) => x.field);
        assert.ok(fields.some((f) => f === `tenants.0.templates.0.${field}`), `${what}: ${field} not named in ${JSON.stringify(fields)}`);
        return true;
      });
      assert.equal(await s.rt.store.q.tenants.get(id), undefined, `${what}: nothing imported`);
    }
  });
});
