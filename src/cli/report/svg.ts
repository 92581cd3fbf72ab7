/**
 * Small, dependency-free SVG charts for the committed report figures: numbers in, one
 * self-contained SVG string out (no fonts or scripts to fetch).
 */

export interface Series {
  name: string;
  points: [number, number][];
}

export interface Panel {
  title: string;
  series: Series[];
}

const COLOURS = ['#444444', '#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number) => String(Number(v.toPrecision(3)));

/** 4–6 round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => (hi - lo) / s <= 6)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

interface Frame {
  x0: number; y0: number; w: number; h: number;
  xLo: number; xHi: number; yLo: number; yHi: number;
}
const sx = (f: Frame, x: number) => f.x0 + ((x - f.xLo) / (f.xHi - f.xLo || 1)) * f.w;
const sy = (f: Frame, y: number) => f.y0 + f.h - ((y - f.yLo) / (f.yHi - f.yLo || 1)) * f.h;

function axes(f: Frame, xLabel: string, yLabel: string, title: string, xTicks: number[]): string[] {
  const out = [`<rect x="${f.x0}" y="${f.y0}" width="${f.w}" height="${f.h}" fill="none" stroke="#999"/>`];
  for (const t of niceTicks(f.yLo, f.yHi)) {
    const y = sy(f, t).toFixed(1);
    out.push(`<line x1="${f.x0}" x2="${f.x0 + f.w}" y1="${y}" y2="${y}" stroke="#eee"/>`, `<text x="${f.x0 - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${num(t)}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(f, t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${f.y0 + f.h}" y2="${f.y0 + f.h + 4}" stroke="#999"/>`, `<text x="${x}" y="${f.y0 + f.h + 16}" text-anchor="middle">${num(t)}</text>`);
  }
  out.push(
    `<text x="${f.x0 + f.w / 2}" y="${f.y0 - 8}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    `<text x="${f.x0 + f.w / 2}" y="${f.y0 + f.h + 34}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(${f.x0 - 40} ${f.y0 + f.h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  return out;
}

function bounds(values: number[], pad: number): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const p = (hi - lo || Math.abs(hi) || 1) * pad;
  return [lo - p, hi + p];
}

function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Side-by-side line charts sharing the y range and one legend (a colour per series name). */
export function lineChartSvg(panels: Panel[], o: { xLabel: string; yLabel: string }): string {
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const all = panels.flatMap((p) => p.series.flatMap((s) => s.points));
  if (all.length === 0) throw new Error('lineChartSvg: no points');
  const [yLo, yHi] = bounds(all.map((p) => p[1]), 0.08);
  const xs = [...new Set(all.map((p) => p[0]))].sort((a, b) => a - b);
  const pw = 300, ph = 220, left = 60, top = 30, gap = 70;
  const body: string[] = [];
  panels.forEach((panel, i) => {
    const f: Frame = { x0: left + i * (pw + gap), y0: top, w: pw, h: ph, xLo: xs[0], xHi: xs[xs.length - 1], yLo, yHi };
    body.push(...axes(f, o.xLabel, o.yLabel, panel.title, xs));
    for (const s of panel.series) {
      const colour = COLOURS[names.indexOf(s.name) % COLOURS.length];
      const pts = [...s.points].sort((a, b) => a[0] - b[0]);
      body.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(f, x).toFixed(1)},${sy(f, y).toFixed(1)}`).join(' ')}"/>`);
      for (const [x, y] of pts) body.push(`<circle cx="${sx(f, x).toFixed(1)}" cy="${sy(f, y).toFixed(1)}" r="3" fill="${colour}"/>`);
    }
  });
  const width = left + panels.length * (pw + gap) + 40;
  names.forEach((n, i) => {
    const y = top + ph + 56;
    const x = left + i * 110;
    body.push(`<line x1="${x}" x2="${x + 20}" y1="${y}" y2="${y}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"/>`, `<text x="${x + 25}" y="${y}" dominant-baseline="middle">${esc(n)}</text>`);
  });
  return svgDocument(width, top + ph + 75, body);
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** Colour group (legend entry). */
  group: string;
}

/** One scatter plot with a least-squares line and a caption (e.g. Pearson r). */
export function scatterSvg(points: ScatterPoint[], o: { title: string; xLabel: string; yLabel: string; caption: string }): string {
  if (points.length === 0) throw new Error('scatterSvg: no points');
  const groups = [...new Set(points.map((p) => p.group))];
  const [xLo, xHi] = bounds(points.map((p) => p.x), 0.06);
  const [yLo, yHi] = bounds(points.map((p) => p.y), 0.08);
  const f: Frame = { x0: 60, y0: 30, w: 440, h: 280, xLo, xHi, yLo, yHi };
  const body = axes(f, o.xLabel, o.yLabel, o.title, niceTicks(xLo, xHi));
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (n >= 2 && sxx > 0) {
    const slope = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
    const line = (x: number) => my + slope * (x - mx);
    body.push(`<line x1="${sx(f, xLo).toFixed(1)}" y1="${sy(f, line(xLo)).toFixed(1)}" x2="${sx(f, xHi).toFixed(1)}" y2="${sy(f, line(xHi)).toFixed(1)}" stroke="#888" stroke-dasharray="4 3"/>`);
  }
  for (const p of points) {
    body.push(`<circle cx="${sx(f, p.x).toFixed(1)}" cy="${sy(f, p.y).toFixed(1)}" r="4" fill="${COLOURS[(groups.indexOf(p.group) + 1) % COLOURS.length]}" fill-opacity="0.8"/>`);
  }
  groups.forEach((g, i) => {
    const y = f.y0 + f.h + 56 + i * 16;
    body.push(`<circle cx="${f.x0 + 6}" cy="${y}" r="4" fill="${COLOURS[(i + 1) % COLOURS.length]}"/>`, `<text x="${f.x0 + 16}" y="${y}" dominant-baseline="middle">${esc(g)}</text>`);
  });
  body.push(`<text x="${f.x0 + f.w}" y="${f.y0 + f.h + 56}" text-anchor="end">${esc(o.caption)}</text>`);
  return svgDocument(f.x0 + f.w + 30, f.y0 + f.h + 60 + groups.length * 16, body);
}
