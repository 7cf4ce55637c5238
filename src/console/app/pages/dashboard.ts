/**
 * The merchant's numbers: claims and redemptions per day over 30 days, redemption rate and
 * remaining stock per template, top templates and WeChat sync failures. Every number comes from
 * the statistics endpoints (SQL aggregates), none from loading coupons.
 */
import { html } from 'htm/preact';
import type { EChartsOption } from 'echarts';
import { api, ApiError } from '../lib/api.ts';
import { count, percent } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { useLoad } from '../lib/load.ts';
import { follow, href } from '../lib/router.ts';
import type { DailyPoint, SyncState, TemplateStat } from '../lib/types.ts';
import { ErrorNotice, Loading } from '../ui/bits.ts';
import { Chart } from '../ui/chart.ts';
import { PageHead } from '../ui/layout.ts';
import { usePaged } from '../ui/pager.ts';

const COLORS = ['#c8102e', '#2f7d32', '#1f5fa8', '#b26a00'];

/** The sync queue lands with another issue: until it does, its card says so instead of failing. */
async function syncCounts(): Promise<SyncState['counts'] | null> {
  try {
    return (await api.get<SyncState>('/v1/wechat/sync')).counts;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

async function loadDashboard() {
  const [daily, templates, sync] = await Promise.all([
    api.get<{ data: DailyPoint[] }>('/v1/stats/daily', { days: 30 }),
    api.get<{ data: TemplateStat[] }>('/v1/stats/templates'),
    syncCounts(),
  ]);
  return { daily: daily.data, templates: templates.data, sync };
}

function dailyOption(points: DailyPoint[]): EChartsOption {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    legend: { data: [t('dash.claims'), t('dash.redemptions')], top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: points.map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { id: 'claims', name: t('dash.claims'), type: 'line', data: points.map((d) => d.claims) },
      { id: 'redemptions', name: t('dash.redemptions'), type: 'bar', data: points.map((d) => d.redemptions) },
    ],
  };
}

function topOption(top: TemplateStat[]): EChartsOption {
  const rows = [...top].reverse();
  return {
    color: [COLORS[2] as string, COLORS[1] as string],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [t('dash.claimed'), t('dash.used')], top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name) },
    series: [
      { id: 'claimed', name: t('dash.claimed'), type: 'bar', data: rows.map((r) => r.claimed) },
      { id: 'used', name: t('dash.used'), type: 'bar', data: rows.map((r) => r.used) },
    ],
  };
}

function Kpis(p: { daily: DailyPoint[]; templates: TemplateStat[]; sync: SyncState['counts'] | null }) {
  const claims = p.daily.reduce((s, d) => s + d.claims, 0);
  const redemptions = p.daily.reduce((s, d) => s + d.redemptions, 0);
  const issued = p.templates.reduce((s, x) => s + x.issued, 0);
  const used = p.templates.reduce((s, x) => s + x.used, 0);
  const kpi = (id: string, label: string, value: string, extra?: unknown) =>
    html`<div class="kpi" data-kpi=${id}><span class="kpi-label">${label}</span><strong class="kpi-value">${value}</strong>${extra}</div>`;
  return html`<section class="kpis" aria-label=${t('dash.summary')}>
    ${kpi('claims', t('dash.claims30'), claims.toLocaleString())}
    ${kpi('redemptions', t('dash.redemptions30'), redemptions.toLocaleString())}
    ${kpi('rate', t('dash.rateAll'), percent(issued === 0 ? 0 : used / issued))}
    ${kpi('sync', t('dash.syncFailures'), p.sync ? String(p.sync.failed) : '—', p.sync ? html`<a href=${href('/sync')} onClick=${(e: MouseEvent) => follow(e, '/sync')}>${t('dash.seeSync')}</a>` : html`<span class="muted small">${t('sync.unavailableShort')}</span>`)}
  </section>`;
}

function DailyTable(p: { daily: DailyPoint[] }) {
  return html`<details class="data-table">
    <summary>${t('dash.dailyTable')}</summary>
    <table id="daily-table">
      <thead><tr><th scope="col">${t('dash.date')}</th><th scope="col">${t('dash.claims')}</th><th scope="col">${t('dash.redemptions')}</th></tr></thead>
      <tbody>${[...p.daily].reverse().map((d) => html`<tr data-date=${d.date}><td>${d.date}</td><td>${d.claims}</td><td>${d.redemptions}</td></tr>`)}</tbody>
    </table>
  </details>`;
}

function TemplateTable(p: { templates: TemplateStat[] }) {
  const { shown, pager } = usePaged(p.templates, 10);
  return html`<table class="list" id="template-stats">
      <caption>${t('dash.perTemplate')}</caption>
      <thead><tr><th scope="col">${t('tpl.name')}</th><th scope="col">${t('tpl.stock')}</th><th scope="col">${t('dash.claimed')}</th><th scope="col">${t('dash.remaining')}</th><th scope="col">${t('dash.used')}</th><th scope="col">${t('dash.rate')}</th></tr></thead>
      <tbody>${shown.map((s) => html`<tr data-template=${s.templateId}>
        <td><a href=${href(`/templates/${s.templateId}`)} onClick=${(e: MouseEvent) => follow(e, `/templates/${s.templateId}`)}>${s.name}</a></td>
        <td>${count(s.stock, t('common.unlimited'))}</td>
        <td>${s.claimed}</td>
        <td>${s.stock === null ? t('common.unlimited') : html`<meter min="0" max=${s.stock || 1} value=${s.remaining ?? 0} aria-label=${t('dash.remaining')}></meter> ${s.remaining}`}</td>
        <td>${s.used}</td>
        <td data-rate>${percent(s.redemptionRate)}</td>
      </tr>`)}</tbody>
    </table>
    ${pager(t('dash.perTemplate'))}`;
}

export function DashboardPage() {
  const { data, error, loading, reload } = useLoad(loadDashboard, []);
  const top = data ? data.templates.filter((x) => x.claimed > 0).slice(0, 8) : [];
  return html`<${PageHead} title=${t('nav.dashboard')}><button type="button" class="secondary" onClick=${reload}>${t('common.refresh')}</button><//>
    <${ErrorNotice} error=${error} />
    ${loading && !data ? html`<${Loading} />` : null}
    ${data ? html`
      <${Kpis} ...${data} />
      <section class="card" aria-labelledby="daily-h">
        <h2 id="daily-h">${t('dash.daily')}</h2>
        <${Chart} id="daily" option=${dailyOption(data.daily)} label=${t('dash.dailyLabel', { claims: data.daily.reduce((s, d) => s + d.claims, 0), redemptions: data.daily.reduce((s, d) => s + d.redemptions, 0) })} />
        <${DailyTable} daily=${data.daily} />
      </section>
      <section class="card" aria-labelledby="top-h">
        <h2 id="top-h">${t('dash.top')}</h2>
        ${top.length ? html`<${Chart} id="top" option=${topOption(top)} label=${t('dash.topLabel', { names: top.map((x) => x.name).join(', ') })} height=${Math.max(200, top.length * 40 + 60)} />` : html`<p class="empty">${t('dash.noClaims')}</p>`}
      </section>
      <section class="card" aria-labelledby="stats-h">
        <h2 id="stats-h">${t('dash.stock')}</h2>
        <${TemplateTable} templates=${data.templates} />
      </section>` : null}`;
}
