import { SLICE_TYPE } from '@niivue/niivue';
import { useEffect, useMemo, useState } from 'react';
import { MODALITIES, ROLE_LABELS, type Modality, type NiftiVolume } from '../../core/index.ts';
import { brainCentre, qcOverlay, QC_OVERLAY_VALUES, type StudyQc } from '../../core/rawStudy/index.ts';
import type { RawStudyResult } from '../../worker/rawStudyProtocol.ts';
import { atlasGridVolume } from '../atlasGridVolume.ts';
import { useAttune } from '../store.ts';
import { MaskPane } from './MaskPane.tsx';

/** The raw study's own screen while it is prepared and checked: progress, then the QC step. */
export function RawStudyScreen() {
  const raw = useAttune((s) => s.rawStudy);
  if (raw.status === 'preparing') return <RawStudyProgress />;
  if (raw.status === 'review' && raw.result && raw.qc) return <RawStudyQc result={raw.result} qc={raw.qc} />;
  return null;
}

/** The steps the pipeline runs, in order (prepareRawStudy and the worker), for the progress bar. */
const STEPS = [
  'load MindGrab and the atlas', 'skull strip T1Gd', 'downsample', 'register T1Gd → atlas', 'register T1 → T1Gd', 'register T2 → T1Gd', 'register FLAIR → T1Gd',
  'resample atlas', 'resample T1Gd', 'resample T1', 'resample T2', 'resample FLAIR', 'brain mask onto the atlas grid', "the atlas's brain on its grid",
];

function RawStudyProgress() {
  const raw = useAttune((s) => s.rawStudy);
  const cancel = useAttune((s) => s.cancelRawStudy);
  const [now, setNow] = useState(() => performance.now());
  const [started] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, []);
  // An already stripped T1Gd has its brain mask in place of the strip: the same place in the list.
  const index = raw.step === 'brain mask (input already skull-stripped)' ? 1 : raw.step ? STEPS.indexOf(raw.step) : -1;
  const within = raw.strip && raw.strip.total > 0 ? raw.strip.done / raw.strip.total : 0;
  const fraction = index < 0 ? 0 : (index + within) / STEPS.length;
  const text = raw.step === 'skull strip T1Gd' && raw.strip ? `skull strip T1Gd (MindGrab): part ${raw.strip.done} of ${raw.strip.total}` : raw.step ?? 'starting';
  return (
    <section className="panel raw-screen" data-testid="raw-study-progress" data-step={raw.step ?? ''}>
      <h2>Preparing the raw study on this machine</h2>
      <div className="progress">
        <progress max={1} value={fraction} aria-label="Raw study progress" />
        <span className="progress__text" role="status" data-testid="raw-study-step">
          Step {Math.max(1, index + 1)} of {STEPS.length}: {text}
        </span>
      </div>
      <p className="muted">
        {((now - started) / 1000).toFixed(0)} s so far
        {raw.backend ? ` · skull strip on ${raw.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}${raw.backendReason ? ` (${raw.backendReason})` : ''}` : ''}. Skull stripping a
        full head takes minutes on a CPU; registration a minute or two.
      </p>
      <ol className="raw-steps muted">
        {raw.steps.map((s) => (
          <li key={s.step}>{s.step}</li>
        ))}
      </ol>
      <button type="button" data-testid="raw-study-cancel" onClick={cancel}>
        Cancel
      </button>
    </section>
  );
}

/** niivue label colours for the QC overlay: the study's brain outline green, the atlas brain's magenta. */
const QC_COLORMAP = {
  R: [0, 40, 255],
  G: [0, 230, 0],
  B: [0, 90, 255],
  A: [0, 255, 255],
  I: [0, QC_OVERLAY_VALUES.brainOutline, QC_OVERLAY_VALUES.atlasOutline],
  labels: ['', 'brain mask outline', 'atlas brain outline'],
};

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

/**
 * The QC step: the four series on the atlas grid as registered (skull and all), with the
 * study's brain mask and the atlas's brain outline over them; each registration's brain
 * overlap and NMI against its bar; the step timings; Accept (refused, with the reason, when a
 * registration is poor), Redo, Cancel.
 */
function RawStudyQc({ result, qc }: { result: RawStudyResult; qc: StudyQc }) {
  const raw = useAttune((s) => s.rawStudy);
  const accept = useAttune((s) => s.acceptRawStudy);
  const redo = useAttune((s) => s.prepareRawStudy);
  const cancel = useAttune((s) => s.cancelRawStudy);
  const [modality, setModality] = useState<Modality>('t1ce');
  const [overlayOn, setOverlayOn] = useState(true);
  const { prepared, atlasBrain } = result;
  const [scan, setScan] = useState<NiftiVolume | null>(null);
  useEffect(() => {
    let live = true;
    void atlasGridVolume(prepared.grid, prepared.registration.modalities[modality].onAtlas, `${raw.stem}_${modality}-registered`).then((v) => live && setScan(v));
    return () => {
      live = false;
    };
  }, [prepared, modality, raw.stem]);
  const overlayData = useMemo(() => qcOverlay(prepared.brainOnAtlas, atlasBrain, prepared.grid.dims), [prepared, atlasBrain]);
  const overlay = useMemo(() => (overlayOn ? { data: overlayData, kind: 'labels' as const, colormap: QC_COLORMAP } : null), [overlayData, overlayOn]);
  // Opens on the brain mask's centre.
  const focus = useMemo(() => brainCentre(prepared.brainOnAtlas, prepared.grid), [prepared]);
  const totalS = prepared.timings.reduce((s, t) => s + t.ms, 0) / 1000;
  const blocked = qc.blockers.length > 0;
  return (
    <section className="panel raw-screen" data-testid="raw-study-qc" data-acceptable={!blocked}>
      <h2>Check the prepared study before the model runs</h2>
      <p className="muted">
        The four series registered to the SRI24 atlas and resampled once onto its 240×240×155 1 mm grid (shown with the skull, as
        registered). <span style={{ color: 'rgb(40,200,90)' }}>Green</span>: the outline of the brain mask ({prepared.stripped === 'model' ? 'MindGrab on the T1Gd' : 'the input was already skull-stripped'},{' '}
        {prepared.brainMl.toFixed(0)} mL); <span style={{ color: 'rgb(255,0,255)' }}>magenta</span>: the outline of the atlas's brain. A
        good result has the two outlines close together, with the brain inside the green one and the skull outside it, in every series.
      </p>
      <div className="viewer__toolbar">
        <div className="segmented" role="radiogroup" aria-label="QC series">
          {MODALITIES.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={modality === m} className={modality === m ? 'active' : undefined} onClick={() => setModality(m)} data-testid={`qc-modality-${m}`}>
              {ROLE_LABELS[m]}
            </button>
          ))}
        </div>
        <label>
          <input type="checkbox" checked={overlayOn} onChange={(e) => setOverlayOn(e.target.checked)} /> overlays
        </label>
      </div>
      <div className="raw-qc__view">
        {scan && (
          <MaskPane testId="qc-view" scan={scan} scanName={`${modality} on the atlas grid`} overlay={overlay} focusMm={focus} focusKey={prepared} sliceType={SLICE_TYPE.MULTIPLANAR} register={() => undefined} />
        )}
      </div>
      <table className="results-table" data-testid="qc-table">
        <thead>
          <tr>
            <th>Registration</th>
            <th title="Dice of the two brains after registration">Brain overlap (Dice)</th>
            <th title="Normalised mutual information: 1 unrelated, 2 identical">NMI</th>
            <th>Must reach</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {qc.series.map((s) => (
            <tr key={s.modality} data-testid={`qc-${s.modality}`} data-passes={s.passes}>
              <td>{s.pair}</td>
              <td>{f3(s.brainDice)}</td>
              <td>{f3(s.nmi)}</td>
              <td>≥ {f2(s.minBrainDice)}</td>
              <td className={s.passes ? 'ok-text' : 'error-text'}>{s.passes ? 'good' : 'poor'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {blocked && (
        <ul className="issues" role="alert" data-testid="qc-blockers">
          {qc.blockers.map((b) => (
            <li key={b} className="issue issue--error">{b}</li>
          ))}
        </ul>
      )}
      <details data-testid="qc-timings">
        <summary>
          {prepared.stripped === 'already' ? (
            <>Took {totalS.toFixed(1)} s (skull strip skipped: the input is already skull-stripped, so MindGrab did not run)</>
          ) : (
            <>
              Took {totalS.toFixed(1)} s (skull strip on {result.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}
              {result.backend !== 'webgpu' && raw.backendReason ? `: ${raw.backendReason}` : ''})
            </>
          )}
        </summary>
        <table className="results-table">
          <tbody>
            {prepared.timings.map((t) => (
              <tr key={t.step}>
                <td>{t.step}</td>
                <td>{(t.ms / 1000).toFixed(1)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <div className="export-buttons">
        <button type="button" className="primary" data-testid="raw-study-accept" disabled={blocked} title={blocked ? qc.blockers.join(' ') : undefined} onClick={() => void accept()}>
          Accept: segment this study
        </button>
        <button type="button" data-testid="raw-study-redo" onClick={redo}>
          Redo
        </button>
        <button type="button" data-testid="raw-study-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      {blocked && <p className="muted">Accept is refused while a registration is poor: the model would segment a misplaced study.</p>}
    </section>
  );
}
