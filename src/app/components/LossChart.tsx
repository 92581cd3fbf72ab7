import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunMode } from '../store.ts';
import { MODE_COLOURS } from '../labelColours.ts';
import { MODE_NAMES } from '../modeNames.ts';

export interface ChartCurve {
  mode: RunMode;
  /** Objective per iteration (iteration 0 first); gaps while streaming. */
  values: (number | undefined)[];
  /** Planned number of points (iterations + 1), so the axis does not jump while streaming. */
  points: number;
  /** The kept (minimum-loss) iteration, once known. */
  chosen: number | null;
  /** The curve is prediction entropy (TENT; auto adapting with TENT; bnmix's blends), not the KL alignment loss: its own axis. */
  entropy: boolean;
}

const HEIGHT = 240;

/**
 * Loss curves with uPlot: one line per mode, the kept iteration marked with a ring.
 * TENT minimises prediction entropy, not the KL loss, so it gets its own axis.
 */
export function LossChart({ curves }: { curves: ChartCurve[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; key: string } | null>(null);

  const length = Math.max(1, ...curves.map((c) => Math.max(c.points, c.values.length)));
  const xs = Array.from({ length }, (_, i) => i);
  const data: uPlot.AlignedData = [
    xs,
    ...curves.flatMap((c) => {
      const line = xs.map((i) => c.values[i] ?? null);
      return c.chosen === null ? [line] : [line, xs.map((i) => (i === c.chosen ? (c.values[i] ?? null) : null))];
    }),
  ];
  const key = curves.map((c) => `${c.mode}${c.chosen === null ? '' : '*'}`).join(',');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    if (plot.current?.key !== key) {
      plot.current?.chart.destroy();
      plot.current = { chart: new uPlot(options(curves, el.clientWidth || 600), data, el), key };
    } else {
      plot.current.chart.setData(data);
    }
  });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => plot.current?.chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.chart.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <div
      ref={host}
      className="loss-chart"
      data-testid="loss-chart"
      data-curves={curves.map((c) => `${c.mode}:${c.values.filter((v) => v !== undefined).length}`).join(',')}
      data-chosen={curves.filter((c) => c.chosen !== null).map((c) => `${c.mode}:${c.chosen}`).join(',')}
    />
  );
}

function options(curves: ChartCurve[], width: number): uPlot.Options {
  const hasTent = curves.some((c) => c.entropy);
  const hasKl = curves.some((c) => !c.entropy);
  const series: uPlot.Series[] = [{ label: 'iteration' }];
  for (const c of curves) {
    const colour = MODE_COLOURS[c.mode];
    const scale = c.entropy ? 'entropy' : 'kl';
    series.push({ label: MODE_NAMES[c.mode], stroke: colour, width: 2, scale, spanGaps: true, points: { show: true, size: 5, fill: colour } });
    if (c.chosen !== null) {
      series.push({
        label: `kept: ${MODE_NAMES[c.mode]} (iteration ${c.chosen})`,
        stroke: colour,
        scale,
        paths: () => null,
        points: { show: true, size: 14, width: 3, stroke: colour, fill: '#ffffff' },
      });
    }
  }
  // Iterations are whole numbers: only integer tick steps.
  const axes: uPlot.Axis[] = [{ label: 'iteration', labelSize: 20, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: (_u, splits) => splits.map((v) => String(v)) }];
  if (hasKl) axes.push({ scale: 'kl', label: 'KL alignment loss', labelSize: 20, size: 60 });
  if (hasTent) axes.push({ scale: 'entropy', label: 'prediction entropy', side: 1, grid: { show: false }, labelSize: 20, size: 60 });
  return {
    width,
    height: HEIGHT,
    series,
    axes,
    scales: {
      x: { time: false, range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] },
      kl: { auto: true },
      entropy: { auto: true },
    },
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
  };
}
