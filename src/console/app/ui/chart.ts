/**
 * An ECharts chart in a div. The chart is an image to assistive technology (role="img" with a
 * summary); the numbers behind it are also in a table next to it.
 */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts';
import { lang } from '../lib/i18n.ts';

export function Chart(p: { id: string; option: echarts.EChartsOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const locale = lang() === 'zh-CN' ? 'ZH' : 'EN';
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const chart = echarts.init(node, null, { renderer: 'canvas', locale });
    // Motion only for those who have not asked the system for less.
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    chart.setOption({ animation: !still, ...p.option });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [JSON.stringify(p.option), locale]);
  return html`<div class="chart" ref=${el} data-chart=${p.id} role="img" aria-label=${p.label} style=${`height:${p.height ?? 300}px`}></div>`;
}
