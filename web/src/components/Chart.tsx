// A bar chart on ECharts (only the parts used are bundled), with the same figures in a table for
// screen readers and for anyone who prefers numbers. Suppressed values are never drawn as zero.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { formatNumber } from '../i18n';

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export interface ChartPoint {
  label: string;
  /** null when the cell is suppressed. */
  value: number | null;
}

export function BarChartView({ title, points }: { title: string; points: ChartPoint[] }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const rtl = i18n.dir() === 'rtl';
  // The parent builds a new array on every render: redraw only when the figures change, so a
  // re-render does not dispose the chart under the pointer (and its open tooltip).
  const figures = JSON.stringify(points);

  useEffect(() => {
    if (!ref.current) return;
    const drawn: ChartPoint[] = JSON.parse(figures);
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true },
      color: ['#0066cc'],
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      // Drawn in the SVG: the HTML tooltip writes style attributes, which the CSP refuses.
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', inverse: rtl, data: drawn.map((p) => p.label), axisLabel: { interval: 0, rotate: drawn.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', position: rtl ? 'right' : 'left', minInterval: 1 },
      series: [{ type: 'bar', name: title, data: drawn.map((p) => p.value) }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [figures, title, rtl]);

  return (
    <figure className="mb-4">
      <figcaption className="fw-semibold mb-2">{title}</figcaption>
      <div ref={ref} className="chart" aria-hidden="true" />
      <table className="visually-hidden">
        <caption>{t('dashboard.table')}</caption>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">
                <bdi>{p.label}</bdi>
              </th>
              <td>{p.value === null ? t('cross.suppressed') : formatNumber(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
