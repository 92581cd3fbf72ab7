import { ROLE_LABELS } from '../../core/index.ts';
import type { SkipKind } from '../../core/dicom/index.ts';
import type { DicomSeriesRow } from '../dicomSlice.ts';
import { useAttune } from '../store.ts';

const SKIP_LABELS: Record<SkipKind, string> = {
  'not-mr': 'not MRI',
  'not-brain': 'not the head',
  localiser: 'localiser',
  diffusion: 'diffusion',
  derived: 'derived',
  'time-series': 'time series',
  'other-contrast': 'other contrast',
};

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function timing(row: DicomSeriesRow): string {
  const { repetitionTimeMs: tr, echoTimeMs: te, inversionTimeMs: ti, acquisition } = row.info;
  const parts = [tr !== null ? `TR ${round(tr)}` : null, te !== null ? `TE ${round(te)}` : null, ti !== null ? `TI ${round(ti)}` : null].filter(Boolean);
  return [parts.length ? `${parts.join(' · ')} ms` : null, acquisition].filter(Boolean).join(' · ');
}

/**
 * The dropped DICOM study: each series dcm2niix found, with the role its fields gave it or
 * why it is skipped (localiser, diffusion, derived …), and the study's problems. The usable
 * series are in the assignment table below, where the roles can be changed.
 */
export function DicomStudyPanel() {
  const dicom = useAttune((s) => s.dicom);
  const files = useAttune((s) => s.files);
  if (!dicom) return null;
  // Shown while this study is the case (a later drop or the demo replaces it).
  const current = dicom.status !== 'done' || (dicom.fileIds.length === 0 ? files.length === 0 : files.some((f) => dicom.fileIds.includes(f.id)));
  if (!current) return null;

  const offered = dicom.series.filter((s) => s.decision.skip === null).length;
  return (
    <section className="panel" aria-labelledby="dicom-heading" data-testid="dicom-study" data-status={dicom.status}>
      <div className="panel__header">
        <h2 id="dicom-heading">DICOM study</h2>
        {dicom.status === 'done' && (
          <span className="muted" data-testid="dicom-summary">
            {dicom.fileCount} files → {dicom.series.length} series
          </span>
        )}
      </div>
      {dicom.status === 'converting' && <p role="status">Converting {dicom.fileCount} DICOM files with dcm2niix…</p>}
      {dicom.error && <p className="issue issue--error" role="alert" data-testid="dicom-error">{dicom.error}</p>}
      {dicom.issues.length > 0 && (
        <ul className="issues" role="alert">
          {dicom.issues.map((issue, n) => (
            <li key={n} className={`issue issue--${issue.severity}`} data-testid={`dicom-issue-${issue.severity}`} data-code={issue.code}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {dicom.series.length > 0 && (
        <table className="assignment-table dicom-series" data-testid="dicom-series">
          <thead>
            <tr>
              <th>Series</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {dicom.series.map((row) => {
              const { info, decision } = row;
              const spacing = info.spacingMm.map(round).join('×');
              return (
                <tr key={row.niftiName} data-testid="dicom-series-row" data-role={decision.role ?? ''} data-skip={decision.skip ?? ''} className={decision.skip ? 'row--skipped' : undefined}>
                  <td className="file-cell">
                    <div className="file-name" title={row.niftiName}>
                      {info.seriesNumber ?? '–'} · {info.seriesDescription ?? info.protocolName ?? row.niftiName}
                    </div>
                    <div className="muted">
                      {info.dims.join('×')} · {spacing} mm{timing(row) ? ` · ${timing(row)}` : ''}
                    </div>
                    <div className="muted dicom-reason" data-testid="dicom-reason">{decision.reason}</div>
                  </td>
                  <td data-testid="dicom-role">
                    {decision.role ? <strong>{ROLE_LABELS[decision.role]}</strong> : decision.skip ? <span className="muted">skipped: {SKIP_LABELS[decision.skip]}</span> : <span className="muted">not recognised</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {dicom.status === 'done' && offered > 0 && (
        <p className="muted">The {offered} usable series are in the table below: check their roles and change any that is wrong.</p>
      )}
    </section>
  );
}
