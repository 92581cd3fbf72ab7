import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { isShippedModelName } from '../../core/model/shippedModels.ts';
import { labelCentroid, MODALITIES, physicalValues, ROLE_LABELS, voxelToWorld, voxelVolumeMl } from '../../core/index.ts';
import { caseStem, caseSummaryMasks, SUMMARY_REGIONS, type CaseSummaryMasks, type SummaryMaskInput } from '../../core/results/index.ts';
import { downloadFile } from '../download.ts';
import { currentEdit } from '../editSlice.ts';
import { formatMl, NIIVUE_LABEL_COLORMAP } from '../labelColours.ts';
import { maskSourceName, MODE_NAMES } from '../modeNames.ts';
import { captureViews, type ViewPicture } from '../niivue.ts';
import { isGradientMode, useAttune, type RunResults } from '../store.ts';
import { summaryPng } from '../summaryPng.ts';

export const formatDice = (d: number | null | undefined) => (d == null ? 'n/a' : d.toFixed(3));
export const formatHd95 = (d: number | null | undefined) => (d == null ? 'n/a' : `${d.toFixed(1)} mm`);

/**
 * The one-page summary a clinician takes away: case files, model and backend, each mode and
 * its settings (or `auto`'s decision when a report carries one), the shift reading, volumes
 * per label and region for every result, Dice / HD95 against the expert label, and pictures
 * at the tumour's centre. Print (the browser's dialog saves a PDF) or save a PNG; nothing is
 * sent anywhere. Numbers come from core (`caseSummaryMasks`).
 */
export function SummaryPage({ results, onClose }: { results: RunResults; onClose: () => void }) {
  const engine = useAttune((s) => s.engine);
  const modality = useAttune((s) => s.viewModality);
  const edited = useAttune(currentEdit);
  const [pictures, setPictures] = useState<ViewPicture[] | null>(null);
  const [pictureError, setPictureError] = useState<string | null>(null);
  const { mriCase } = results;
  const grid = mriCase.modalities.t1;

  const masks = useMemo<(SummaryMaskInput & { key: string })[]>(
    () => [
      { key: 'baseline', name: maskSourceName('baseline'), labels: results.baseline },
      ...results.modes.map((m) => ({ key: m.mode, name: maskSourceName(m.mode), labels: m.labels })),
      ...(edited ? [{ key: 'edited', name: `Edited from: ${maskSourceName(edited.from)}`, labels: edited.labels }] : []),
    ],
    [results, edited],
  );
  // HD95 on a full-size scan takes seconds: the sheet opens first and says it is computing.
  const [summary, setSummary] = useState<CaseSummaryMasks | null>(null);
  useEffect(() => {
    setSummary(null);
    const timer = setTimeout(() => {
      setSummary(
        caseSummaryMasks(
          masks,
          { dims: grid.dims, spacingMm: grid.spacingMm, voxelMl: voxelVolumeMl(grid) },
          mriCase.label ? physicalValues(mriCase.label) : null,
          results.signals.reading,
          results.modes.find((m) => m.mode === 'auto')?.decision?.reason ?? null,
        ),
      );
    }, 50);
    return () => clearTimeout(timer);
  }, [masks, grid, mriCase, results]);
  // Pictures of the result a clinician would take away: the edit, else the last adapted mask (else the baseline).
  const pictured = masks.at(-1)!;
  useEffect(() => {
    if (!summary) return;
    let stale = false;
    const centre = labelCentroid(pictured.labels as Uint8Array, grid.dims) ?? (grid.dims.map((n) => Math.floor(n / 2)) as [number, number, number]);
    captureViews(mriCase.modalities[modality], pictured.labels as Uint8Array, NIIVUE_LABEL_COLORMAP, voxelToWorld(grid.affine, centre)).then(
      (p) => !stale && setPictures(p),
      (e: Error) => !stale && setPictureError(`The pictures could not be drawn: ${e.message}`),
    );
    return () => {
      stale = true;
    };
  }, [pictured, modality, grid, mriCase, summary === null]); // eslint-disable-line react-hooks/exhaustive-deps -- after the numbers

  useEffect(() => {
    document.body.classList.add('summary-open');
    return () => document.body.classList.remove('summary-open');
  }, []);

  const files = [...MODALITIES.map((m) => ({ role: ROLE_LABELS[m], name: mriCase.modalities[m].name })), ...(mriCase.label ? [{ role: 'Label map', name: mriCase.label.name }] : [])];
  const model = isShippedModelName(engine.modelLabel) ? `${engine.modelLabel} (bundled)` : engine.modelLabel;
  const backend = results.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly';
  const created = useMemo(() => new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC', []);
  const stem = caseStem(files.map((f) => f.name));

  const savePng = async () => {
    if (!summary) return;
    const bytes = await summaryPng({ title: `Attune summary · ${stem}`, created, files, model, backend, results, summary, pictures: pictures ?? [], pictured: pictured.name, modality: ROLE_LABELS[modality] });
    downloadFile(`${stem}_attune-summary.png`, bytes, 'image/png');
  };

  return createPortal(
    <div className="summary" data-testid="summary" data-state={summary ? 'ready' : 'computing'} data-pictures={pictures ? pictures.length : 0} role="dialog" aria-label="One-page summary">
      <div className="summary__toolbar no-print">
        <button type="button" className="primary" data-testid="summary-print" onClick={() => window.print()}>Print / save as PDF</button>
        <button type="button" data-testid="summary-png" disabled={!pictures || !summary} onClick={() => void savePng()}>Save as PNG</button>
        <button type="button" data-testid="summary-close" onClick={onClose}>Close</button>
        <span className="muted">Made in this browser; nothing is sent anywhere.</span>
      </div>
      <article className="summary__page">
        <header>
          <h1>Attune · tumour segmentation summary</h1>
          <p className="muted">{stem} · {created}</p>
        </header>
        <section className="summary__facts">
          <dl>
            {files.map((f) => (
              <div key={f.role}><dt>{f.role}</dt><dd data-testid={`summary-file-${f.role}`}>{f.name}</dd></div>
            ))}
          </dl>
          <dl>
            <div><dt>Model</dt><dd data-testid="summary-model">{model}</dd></div>
            <div><dt>Backend</dt><dd data-testid="summary-backend">{backend}</dd></div>
            {results.modes.length === 0 && <div><dt>Mode</dt><dd>No adaptation (baseline only)</dd></div>}
            {results.modes.map((m) => {
              const s = m.report.settings;
              const gradient = isGradientMode(m.report.mode);
              const adapted = m.report.mode !== 'none';
              return (
                <div key={m.mode}>
                  <dt>Mode: {MODE_NAMES[m.mode] ?? m.mode}</dt>
                  <dd data-testid={`summary-mode-${m.mode}`}>
                    {m.decision ? `${m.decision.kept === 'adapted' ? `adapted mask kept (${m.decision.adaptedWith})` : 'baseline kept'}: ${m.decision.reason}${adapted ? '. Adaptation: ' : ''}` : ''}
                    {adapted && gradient ? `${s.optimizer === 'adam' ? 'Adam' : 'SGD'}, learning rate ${s.learningRate}, ${s.iterations} iterations, ` : ''}
                    {adapted ? `${s.statsSlices} statistics slices${s.layers === 'shallow' ? ', shallow layers' : ''}${s.pixels === 'brain' ? ', brain pixels' : ''}; kept iteration ${m.report.chosenIteration} of ${m.report.lossCurve.length - 1}` : ''}
                  </dd>
                </div>
              );
            })}
            {summary?.signal && (
              <div>
                <dt>{summary.signal.name}</dt>
                <dd data-testid="summary-signal">{summary.signal.value === null || summary.signal.percentile === null ? summary.signal.advice : `${summary.signal.value.toFixed(3)} (percentile ${summary.signal.percentile.toFixed(0)} of the training scans) — ${summary.signal.label}`}</dd>
              </div>
            )}
          </dl>
        </section>
        {!summary && <p className="muted" data-testid="summary-computing">Computing volumes, Dice and HD95…</p>}
        {summary && (<>
        <h2>Volumes (mL)</h2>
        {summary.noTumourIn.length > 0 && <p data-testid="summary-no-tumour">No tumour found in: {summary.noTumourIn.join(', ')} (0 mL).</p>}
        <table className="summary__table" data-testid="summary-volumes">
          <thead>
            <tr><th>Mask</th><th>NCR</th><th>ED</th><th>ET</th><th>TC</th><th>WT</th></tr>
          </thead>
          <tbody>
            {summary.reference && (
              <tr data-testid="summary-row-label">
                <td>{maskSourceName('label')}</td>
                {summary.reference.labels.map((v) => <td key={v.key}>{formatMl(v.ml)}</td>)}
                {summary.reference.regions.filter((r) => r.key !== 'ET').map((r) => <td key={r.key}>{formatMl(r.ml)}</td>)}
              </tr>
            )}
            {summary.rows.map((row, n) => (
              <tr key={masks[n].key} data-testid={`summary-row-${masks[n].key}`}>
                <td>{row.name}</td>
                {row.labels.map((v) => <td key={v.key} data-testid={`summary-ml-${v.key}`}>{formatMl(v.ml)}</td>)}
                {row.regions.filter((r) => r.key !== 'ET').map((r) => <td key={r.key} data-testid={`summary-ml-${r.key}`}>{formatMl(r.ml)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
        {summary.reference && (
          <>
            <h2>Against the expert label</h2>
            <table className="summary__table" data-testid="summary-metrics">
              <thead>
                <tr><th>Mask</th>{SUMMARY_REGIONS.map((r) => <th key={r}>Dice {r}</th>)}{SUMMARY_REGIONS.map((r) => <th key={r}>HD95 {r}</th>)}</tr>
              </thead>
              <tbody>
                {summary.rows.map((row, n) => (
                  <tr key={masks[n].key} data-testid={`summary-metrics-${masks[n].key}`}>
                    <td>{row.name}</td>
                    {SUMMARY_REGIONS.map((r) => <td key={r} data-testid={`summary-dice-${r}`}>{formatDice(row.dice?.[r])}</td>)}
                    {SUMMARY_REGIONS.map((r) => <td key={r} data-testid={`summary-hd95-${r}`}>{formatHd95(row.hd95?.[r])}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Regions: ET enhancing tumour, TC tumour core (NCR ∪ ET), WT whole tumour. HD95: 95th-percentile surface distance.</p>
          </>
        )}
        </>)}
        <h2>{pictured.name} on {ROLE_LABELS[modality]}, at the tumour’s centre</h2>
        {pictureError && <p className="error-text" role="alert">{pictureError}</p>}
        <div className="summary__pictures">
          {(pictures ?? []).map((p) => (
            <figure key={p.name}>
              <img src={p.url} alt={`${p.name} view`} data-testid={`summary-picture-${p.name}`} />
              <figcaption>{p.name}</figcaption>
            </figure>
          ))}
          {!pictures && !pictureError && <p className="muted">Drawing the pictures…</p>}
        </div>
        <footer className="muted">
          Computed by Attune in this browser ({backend}); nothing left this computer. Research software, not a medical device: do not use for diagnosis.
        </footer>
      </article>
    </div>,
    document.body,
  );
}
