import { formatTimeTick, formatValueTick, niceTicks, timeTicks } from '../chart/ticks';
import { formatTime, formatValue } from './format';

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly v: number;
}

export interface LineChartProps {
  /** Unique within the page: prefixes the ids that tie the SVG to its title and description. */
  readonly id: string;
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly unit: string | null;
}

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 20, bottom: 36, left: 64 };

/**
 * A time series as a static SVG: value axis with round ticks and the unit, UTC time axis,
 * the line, and the latest point marked. No script, no inline style (the CSP forbids both):
 * colours come from presentation attributes and the stylesheet's classes.
 */
export function LineChart(props: LineChartProps) {
  const points = [...props.points].sort((a, b) => a.t - b.t);
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  if (points.length === 0) {
    return <p class="chart-empty">No values to chart yet.</p>;
  }
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = points.map((p) => p.v);
  const yTicks = niceTicks(Math.min(...values), Math.max(...values));
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const tStart = points[0].t;
  const tEnd = points[points.length - 1].t;
  const span = tEnd - tStart;
  const xTicks = span > 0 ? timeTicks(tStart, tEnd, 6) : [tStart];
  const x = (t: number) => MARGIN.left + (span > 0 ? ((t - tStart) / span) * plotW : plotW / 2);
  const y = (v: number) => MARGIN.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const latest = points[points.length - 1];
  const description =
    `${points.length} ${points.length === 1 ? 'value' : 'values'} from ${formatTime(new Date(tStart).toISOString())} ` +
    `to ${formatTime(new Date(tEnd).toISOString())}, between ${formatValue(Math.min(...values), props.unit)} and ` +
    `${formatValue(Math.max(...values), props.unit)}; latest ${formatValue(latest.v, props.unit)}.`;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`}
      xmlns="http://www.w3.org/2000/svg" font-size="13">
      <title id={titleId}>{props.title}</title>
      <desc id={descId}>{description}</desc>
      <g class="chart-grid" stroke="#d6dde3" stroke-width="1">
        {yTicks.map((v) => (
          <line key={`gy${v}`} x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(v)} y2={y(v)} />
        ))}
      </g>
      <g class="chart-axis chart-axis-y" fill="#3d4852" text-anchor="end">
        {yTicks.map((v) => (
          <text key={`ty${v}`} x={MARGIN.left - 8} y={y(v) + 4}>{formatValueTick(v)}</text>
        ))}
        {props.unit ? (
          <text class="chart-unit" x={12} y={MARGIN.top + plotH / 2} text-anchor="middle"
            transform={`rotate(-90 12 ${MARGIN.top + plotH / 2})`}>{props.unit}</text>
        ) : null}
      </g>
      <g class="chart-axis chart-axis-x" fill="#3d4852" text-anchor="middle">
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={MARGIN.top + plotH} y2={MARGIN.top + plotH} stroke="#3d4852" />
        {xTicks.map((t) => (
          <g key={`tx${t}`}>
            <line x1={x(t)} x2={x(t)} y1={MARGIN.top + plotH} y2={MARGIN.top + plotH + 5} stroke="#3d4852" />
            <text x={x(t)} y={HEIGHT - 14}>{formatTimeTick(t, span)}</text>
          </g>
        ))}
        <text class="chart-axis-label" x={WIDTH - MARGIN.right} y={HEIGHT - 1} text-anchor="end" font-size="11">UTC</text>
      </g>
      <path class="chart-line" d={path} fill="none" stroke="#0b6e4f" stroke-width="2" stroke-linejoin="round" />
      {points.length <= 60
        ? points.map((p) => <circle key={`p${p.t}`} class="chart-point" cx={x(p.t)} cy={y(p.v)} r="2.5" fill="#0b6e4f" />)
        : null}
      <circle class="chart-latest" cx={x(latest.t)} cy={y(latest.v)} r="5" fill="#ffffff" stroke="#0b6e4f" stroke-width="2.5" />
    </svg>
  );
}
