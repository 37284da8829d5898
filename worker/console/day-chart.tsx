/** @jsxImportSource hono/jsx */
/**
 * A per-day bar chart drawn on the server as inline SVG, with its data as a table right after it. No chart
 * library: the Overview needs bars over at most 31 days, which SVG draws in a few hundred bytes with no script
 * (uPlot would add ~50 KB of JS and a canvas a screen reader cannot read). Each bar carries its value as a
 * <title> and the visible labels give first/last day and the maximum, so nothing depends on colour; the table
 * (a focusable region) is what keyboards and screen readers use.
 */
const WIDTH = 620;
const HEIGHT = 140;
const PAD = { left: 44, bottom: 22, top: 10 };

export interface DayPoint {
  day: string;
  value: number;
}

export function DayChart(props: {
  id: string;
  title: string;
  unit: string;
  points: DayPoint[];
  format?: (n: number) => string;
  /** What one bar is ("day" by default; the Evals page draws one per run). */
  per?: string;
}) {
  const format = props.format ?? ((n: number) => String(n));
  const max = Math.max(0, ...props.points.map((p) => p.value));
  const plotW = WIDTH - PAD.left;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = props.points.length > 0 ? plotW / props.points.length : plotW;
  const first = props.points[0]?.day ?? "";
  const last = props.points.at(-1)?.day ?? "";
  return (
    <figure class="chart" aria-labelledby={`${props.id}-t`}>
      <figcaption id={`${props.id}-t`}>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${props.title}, one bar per ${props.per ?? "day"}; the table below has the values`}
      >
        <line
          x1={PAD.left}
          y1={PAD.top + plotH}
          x2={WIDTH}
          y2={PAD.top + plotH}
          stroke="currentColor"
          stroke-width="1"
        />
        <text x={PAD.left - 4} y={PAD.top + 8} text-anchor="end" font-size="11" fill="currentColor">
          {format(max)}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} text-anchor="end" font-size="11" fill="currentColor">
          0
        </text>
        {props.points.map((p, i) => {
          const h = max > 0 ? (p.value / max) * plotH : 0;
          return (
            <rect
              x={PAD.left + i * step + step * 0.15}
              y={PAD.top + plotH - h}
              width={step * 0.7}
              height={h}
              fill="#1f5f8b"
            >
              <title>{`${p.day}: ${format(p.value)} ${props.unit}`}</title>
            </rect>
          );
        })}
        <text x={PAD.left} y={HEIGHT - 4} font-size="11" fill="currentColor">
          {first}
        </text>
        <text x={WIDTH} y={HEIGHT - 4} text-anchor="end" font-size="11" fill="currentColor">
          {last}
        </text>
      </svg>
    </figure>
  );
}
