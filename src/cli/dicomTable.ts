import { ROLE_LABELS } from '../core/modality/index.ts';
import type { DicomStudy } from '../core/dicom/index.ts';

const round = (v: number) => String(Math.round(v * 100) / 100);

/** The study's series as a table: grid, the role given (or why skipped) and the reason. */
export function formatSeriesTable(study: DicomStudy): string {
  const rows = study.series.map((s) => [
    s.niftiName,
    s.info.seriesDescription ?? s.info.protocolName ?? '',
    s.info.dims.join('×'),
    s.info.spacingMm.map(round).join('×'),
    s.decision.role ? ROLE_LABELS[s.decision.role] : s.decision.skip ? `skipped (${s.decision.skip})` : 'not recognised',
    s.decision.reason,
  ]);
  const head = ['file', 'series', 'voxels', 'mm', 'role', 'why'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => (c === cells.length - 1 ? x : x.padEnd(widths[c]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
