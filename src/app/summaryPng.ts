import type { CaseSummaryMasks } from '../core/results/index.ts';
import { SUMMARY_REGIONS } from '../core/results/index.ts';
import { formatMl } from './labelColours.ts';
import { MODE_NAMES } from './modeNames.ts';
import type { ViewPicture } from './niivue.ts';
import type { RunResults } from './store.ts';

export interface SummaryPngInput {
  title: string;
  created: string;
  files: { role: string; name: string }[];
  model: string;
  backend: string;
  results: RunResults;
  summary: CaseSummaryMasks;
  pictures: ViewPicture[];
  pictured: string;
  modality: string;
}

const fmtDice = (d: number | null | undefined) => (d == null ? 'n/a' : d.toFixed(3));
const fmtHd = (d: number | null | undefined) => (d == null ? 'n/a' : `${d.toFixed(1)} mm`);

/**
 * The summary page drawn as one PNG (A4 portrait at ~150 dpi): the same facts and numbers
 * as the printed page, laid out on a 2D canvas (a browser cannot screenshot its own DOM).
 */
export async function summaryPng(s: SummaryPngInput): Promise<Uint8Array> {
  const W = 1240, H = 1754, M = 60;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  let y = M;
  const text = (t: string, x: number, size = 20, weight = 'normal', colour = '#111') => {
    ctx.font = `${weight} ${size}px system-ui, sans-serif`;
    ctx.fillStyle = colour;
    ctx.fillText(t, x, y);
  };
  const line = (t: string, size = 20, weight = 'normal', colour = '#111') => {
    y += size * 1.45;
    text(t, M, size, weight, colour);
  };
  line(s.title, 34, 'bold');
  line(s.created, 18, 'normal', '#555');
  y += 10;
  for (const f of s.files) line(`${f.role}: ${f.name}`, 19);
  line(`Model: ${s.model} · backend: ${s.backend}`, 19);
  if (s.results.modes.length === 0) line('Mode: no adaptation (baseline only)', 19);
  for (const m of s.results.modes) {
    const st = m.report.settings;
    if (m.decision) line(`Mode ${MODE_NAMES[m.mode]}: ${m.decision.kept === 'adapted' ? `adapted mask kept (${m.decision.adaptedWith})` : 'baseline kept'}`, 19);
    if (m.report.mode !== 'none') line(`${m.decision ? 'Adaptation' : `Mode ${MODE_NAMES[m.mode] ?? m.mode}`}: ${st.optimizer}, lr ${st.learningRate}, ${st.iterations} iterations, ${st.statsSlices} statistics slices; kept iteration ${m.report.chosenIteration} of ${m.report.lossCurve.length - 1}`, 19);
  }
  const signal = s.summary.signal;
  if (signal) line(signal.value === null || signal.percentile === null ? `${signal.name}: ${signal.label}` : `${signal.name} ${signal.value.toFixed(3)} (percentile ${signal.percentile.toFixed(0)}) — ${signal.label}`, 19);
  if (s.summary.noTumourIn.length) line(`No tumour found in: ${s.summary.noTumourIn.join(', ')} (0 mL)`.slice(0, 150), 19);
  if (s.summary.decision) line(`Automatic: ${s.summary.decision}`.slice(0, 150), 19);

  const table = (header: string[], rows: string[][], widths: number[]) => {
    y += 14;
    const row = (cells: string[], weight: string) => {
      y += 30;
      let x = M;
      cells.forEach((c, n) => {
        text(c, x, 18, weight);
        x += widths[n];
      });
    };
    row(header, 'bold');
    ctx.fillStyle = '#999';
    ctx.fillRect(M, y + 8, W - 2 * M, 1);
    for (const r of rows) row(r, 'normal');
  };
  y += 16;
  line('Volumes (mL)', 24, 'bold');
  const volRows = s.summary.rows.map((r) => [r.name, ...r.labels.map((v) => formatMl(v.ml)), ...r.regions.filter((g) => g.key !== 'ET').map((g) => formatMl(g.ml))]);
  if (s.summary.reference) volRows.unshift(['Expert label', ...s.summary.reference.labels.map((v) => formatMl(v.ml)), ...s.summary.reference.regions.filter((g) => g.key !== 'ET').map((g) => formatMl(g.ml))]);
  table(['Mask', 'NCR', 'ED', 'ET', 'TC', 'WT'], volRows, [420, 140, 140, 140, 140, 140]);
  if (s.summary.reference) {
    y += 16;
    line('Against the expert label', 24, 'bold');
    table(
      ['Mask', ...SUMMARY_REGIONS.map((r) => `Dice ${r}`), ...SUMMARY_REGIONS.map((r) => `HD95 ${r}`)],
      s.summary.rows.map((r) => [r.name, ...SUMMARY_REGIONS.map((g) => fmtDice(r.dice?.[g])), ...SUMMARY_REGIONS.map((g) => fmtHd(r.hd95?.[g]))]),
      [380, 115, 115, 115, 125, 125, 125],
    );
  }
  y += 24;
  line(`${s.pictured} on ${s.modality}, at the tumour's centre`, 22, 'bold');
  y += 12;
  const size = (W - 2 * M - 3 * 16) / 4;
  let x = M;
  for (const p of s.pictures) {
    const img = new Image();
    img.src = p.url;
    await img.decode();
    ctx.drawImage(img, x, y, size, size);
    ctx.font = '16px system-ui, sans-serif';
    ctx.fillStyle = '#333';
    ctx.fillText(p.name, x, y + size + 22);
    x += size + 16;
  }
  y = Math.min(H - M, y + size + 70);
  text('Computed by Attune in this browser; nothing left this computer. Research software, not a medical device.', M, 16, 'normal', '#555');
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}
