import { useState } from 'react';
import { DICE_KEYS, type DiceKey } from '../../core/metrics/dice.ts';
import { caseStem, describeSignalReading, hasTumour, lossCurvesCsv, SHIFT_SCORE_NOTE, SIGNAL_SHORT_NAMES } from '../../core/results/index.ts';
import { DEFAULT_POLICY, isNoTumour } from '../../core/decision/index.ts';
import { writeNifti } from '../../core/index.ts';
import { exportConvention, fromInternalLabels, LABEL_CONVENTIONS, type ExportLabelsChoice } from '../../core/labels/index.ts';
import { plotsEntropyCurve, type AdaptMode } from '../../core/tta/modes.ts';
import { downloadFile } from '../download.ts';
import { formatMl, MODE_COLOURS } from '../labelColours.ts';
import { maskSourceName, MODE_NAMES } from '../modeNames.ts';
import { useAttune, type RunResults } from '../store.ts';
import type { ModeOutcome } from '../runSlice.ts';
import type { BaselineEvidence } from '../../core/signals/index.ts';
import { currentEdit } from '../editSlice.ts';
import { ComparePanes } from './ComparePanes.tsx';
import { EditPanel } from './EditPanel.tsx';
import { SummaryPage } from './SummaryPage.tsx';
import { LossChart, type ChartCurve } from './LossChart.tsx';
import { formatLoss } from './RunProgressBar.tsx';

const DICE_NAMES: Record<DiceKey, string> = { NCR: 'NCR', ED: 'ED', ET: 'ET', ET_region: 'ET region', TC: 'TC', WT: 'WT' };

/** Everything a run produced: shift score, loss curves (live while running), masks, table, export. */
export function Results() {
  const run = useAttune((s) => s.run);
  const results = useAttune((s) => s.results);
  const settings = useAttune((s) => s.settings);
  if (!results && run.status !== 'running') return null;

  const curves: ChartCurve[] = results
    ? results.modes.filter((m) => m.report.lossCurve.length > 0).map((m) => ({ mode: m.mode, values: m.report.lossCurve, points: m.report.lossCurve.length, chosen: m.report.chosenIteration, entropy: plotsEntropyCurve(m.report.mode) }))
    : run.modes.map((mode) => ({
        mode,
        values: run.live[mode] ?? [],
        points: mode === 'adabn' ? 2 : (mode === 'auto' ? autoCandidate(run.progress?.variant).settings : settings[mode]).iterations + 1,
        chosen: null,
        entropy: plotsEntropyCurve(mode === 'auto' ? autoCandidate(run.progress?.variant).settings.mode : mode),
      }));
  // The method's KL at iteration 0, from the first alignment-loss mode (TENT's curve is entropy).
  const shiftScore = results
    ? results.modes.find((m) => m.mode !== 'auto' || m.report.mode !== 'none')?.report.shiftScore
    : run.modes.filter((m) => !plotsEntropyCurve(m) && m !== 'auto').map((m) => run.live[m]?.[0]).find((v) => v !== undefined);

  return (
    <div className="results" data-testid="results" data-status={results ? 'done' : 'running'}>
      <section className="panel results__top">
        {results ? <SignalPanel results={results} shiftScore={shiftScore} /> : <ShiftScore score={shiftScore} />}
        {curves.length > 0 ? (
          <div className="chart-box">
            <h2>Loss per iteration{results ? '' : ' (live)'}</h2>
            <LossChart curves={curves} />
            <p className="muted">
              Each mode keeps the iteration with the lowest loss (ringed); iteration 0 is the shipped model, so adaptation never ends worse
              by this measure.
            </p>
          </div>
        ) : (
          <p className="muted">
            {results?.modes.some((m) => m.mode === 'auto')
              ? 'Automatic did not adapt this scan, so there is no loss curve; choose a mode to adapt it anyway and compare.'
              : 'Baseline only: choose an adaptation mode to see its loss curve and the shift score.'}
          </p>
        )}
      </section>
      {results && <ComparePanes results={results} />}
      {results && <EditPanel results={results} />}
      {results && <ResultsTable results={results} />}
      {results && <ExportPanel results={results} />}
    </div>
  );
}

/** While a run streams: the method's shift score as a number, without a verdict (it tracks anatomy, not the scanner). */
function ShiftScore({ score }: { score: number | undefined }) {
  if (score === undefined) return null;
  return (
    <div className="shift shift--neutral" data-testid="shift-score" data-score={score}>
      <div className="shift__value">
        <span className="muted">Shift score</span>
        <strong>{formatLoss(score)}</strong>
      </div>
      <p className="muted shift__note">{SHIFT_SCORE_NOTE}</p>
    </div>
  );
}

/**
 * After a run: the decision signal read against the training scans' own values (percentile),
 * and, when `auto` ran, what it decided and why. The words come from core/results'
 * `describeSignalReading`, which says only what the evaluation supports.
 */
function SignalPanel({ results, shiftScore }: { results: RunResults; shiftScore: number | undefined }) {
  const calibration = useAttune((s) => s.engine.calibration);
  const reading = results.signals.reading;
  const auto = results.modes.find((m) => m.mode === 'auto');
  const words = reading ? describeSignalReading(reading) : null;
  const noTumour = !hasTumour(results.baseline);
  const measured = reading && !isNoTumour(reading) ? reading : null;
  return (
    <div className={`shift shift--${words?.level ?? 'neutral'}`} data-testid="signal-panel" data-level={words?.level ?? 'uncalibrated'}>
      {noTumour && (
        <p data-testid="no-tumour">
          <strong>No tumour found:</strong> the model labels no voxel of this scan as tumour (every volume 0 mL).
        </p>
      )}
      {reading && words && !measured ? (
        <div>
          <span className="muted">{SIGNAL_SHORT_NAMES[reading.signal]}</span>{' '}
          <strong className="shift__label" data-testid="signal-label">{words.label}</strong>
          <p className="shift__advice">{words.advice}</p>
        </div>
      ) : measured && words ? (
        <>
          <div className="shift__value">
            <span className="muted">{SIGNAL_SHORT_NAMES[measured.signal]}</span>
            <strong data-testid="signal-value">{measured.value.toFixed(3)}</strong>
            <span className="muted" data-testid="signal-percentile">percentile {measured.percentile.toFixed(0)} of {measured.referenceScans} {measured.reference === 'held-out' ? 'held-out scans (not trained on)' : 'training scans'}</span>
          </div>
          <div>
            <strong className="shift__label" data-testid="signal-label">{words.label}</strong>
            <p className="shift__advice">{words.advice}</p>
          </div>
        </>
      ) : (
        <p className="muted" data-testid="signal-uncalibrated">
          No reading: {calibration && calibration.state !== 'loaded' ? calibration.message : 'this model has no calibration'}.
        </p>
      )}
      {auto?.decision && (
        <p className="shift__decision" data-testid="auto-decision" data-kept={auto.decision.kept} data-adapted-with={auto.decision.adaptedWith ?? ''}>
          <strong>Automatic: {auto.decision.kept === 'adapted' ? `kept the adapted mask (${auto.decision.adaptedWith})` : 'kept the baseline'}.</strong>{' '}
          {sentence(auto.decision.reason.split('; ')[0])}
        </p>
      )}
      {auto?.decision && auto.decision.candidates.length > 0 && <CandidateTable decision={auto.decision} runs={auto.candidateRuns ?? []} baseline={results.signals.evidence} />}
      {shiftScore !== undefined && Number.isFinite(shiftScore) && (
        <p className="muted shift__note" data-testid="shift-score" data-score={shiftScore}>
          Shift score {formatLoss(shiftScore)}. {SHIFT_SCORE_NOTE}
        </p>
      )}
    </div>
  );
}


/** The `auto` candidate a progress message names (the first before any has started). */
function autoCandidate(variant: string | undefined) {
  return DEFAULT_POLICY.candidates.find((c) => c.variant === variant) ?? DEFAULT_POLICY.candidates[0];
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));

/** What adapting did with each `auto` candidate, and why it was kept or not. */
function CandidateTable({ decision, runs, baseline }: { decision: NonNullable<ModeOutcome['decision']>; runs: NonNullable<ModeOutcome['candidateRuns']>; baseline?: BaselineEvidence }) {
  return (
    <table className="candidate-table" data-testid="auto-candidates">
      <thead>
        <tr>
          <th>Candidate</th>
          <th title="Prediction entropy inside the predicted tumour, baseline → adapted">Entropy in tumour</th>
          <th title="Left–right flip disagreement of the tumour, baseline → adapted">Flip disagreement</th>
          <th>Volume change</th>
          <th>Time</th>
          <th>Verdict</th>
        </tr>
      </thead>
      <tbody>
        {decision.candidates.map((c) => {
          const run = runs.find((r) => r.variant === c.variant);
          return (
            <tr key={c.variant} data-testid={`auto-candidate-${c.variant}`} data-kept={c.kept}>
              <td>{c.variant}</td>
              <td>{f3(baseline?.tumourEntropy)} → {f3(c.evidence.tumourEntropy)}</td>
              <td>{f3(baseline?.flipDisagreement)} → {f3(c.evidence.flipDisagreement)}</td>
              <td>{Number.isFinite(c.evidence.volumeChange) ? `${(100 * c.evidence.volumeChange).toFixed(0)} %` : 'from nothing'}</td>
              <td>{run ? `${(run.seconds.adaptation + run.seconds.segmentation).toFixed(0)} s` : '–'}</td>
              <td>{c.kept ? <strong>{c.verdict}</strong> : c.verdict}: {c.detail}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith('.') ? '' : '.');

function ResultsTable({ results }: { results: RunResults }) {
  const labelStats = useAttune((s) => s.labelStats);
  const edited = useAttune(currentEdit);
  const summaries = edited ? [...results.summaries, edited.summary] : results.summaries;
  const hasDice = results.summaries.some((s) => s.dice !== null);
  const report = (source: string) => results.modes.find((m) => m.mode === source);
  return (
    <section className="panel" aria-labelledby="table-heading">
      <h2 id="table-heading">Volumes{hasDice ? ' and Dice against the expert label' : ''}</h2>
      <div className="table-scroll">
        <table className="results-table" data-testid="results-table">
          <thead>
            <tr>
              <th>Mask</th>
              <th>NCR</th>
              <th>ED</th>
              <th>ET</th>
              {hasDice && DICE_KEYS.map((k) => <th key={k} className="dice-col">Dice {DICE_NAMES[k]}</th>)}
              <th>Kept iteration</th>
              <th>Time</th>
            </tr>
          </thead>
          <tbody>
            {labelStats && (
              <tr data-testid="row-label">
                <td>{maskSourceName('label')}</td>
                {labelStats.map((v) => <td key={v.key}>{formatMl(v.ml)}</td>)}
                {hasDice && DICE_KEYS.map((k) => <td key={k} className="dice-col">—</td>)}
                <td />
                <td />
              </tr>
            )}
            {summaries.map((s) => {
              const r = report(s.source);
              return (
                <tr key={s.source} data-testid={`row-${s.source}`}>
                  <td>
                    {s.source !== 'baseline' && s.source !== 'edited' && <span className="swatch" style={{ background: MODE_COLOURS[s.source as AdaptMode] }} aria-hidden />}{' '}
                    {s.source === 'edited' && edited ? `Edited from: ${maskSourceName(edited.from)}` : maskSourceName(s.source)}
                  </td>
                  {s.volumes.map((v) => <td key={v.key} data-testid={`ml-${v.key}`}>{formatMl(v.ml)}</td>)}
                  {hasDice && DICE_KEYS.map((k) => <td key={k} className="dice-col" data-testid={`dice-${k}`}>{s.dice?.[k] == null ? 'n/a' : s.dice[k]!.toFixed(3)}</td>)}
                  <td>{r && r.report.lossCurve.length > 0 ? `${r.report.chosenIteration} of ${r.report.lossCurve.length - 1}` : '—'}</td>
                  <td>{s.source === 'edited' ? `${edited?.history.done.length ?? 0} edit(s)` : `${(r ? r.report.seconds + r.segmentSeconds : results.baselineSeconds).toFixed(1)} s`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Computed on {results.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'} in this browser.{hasDice ? ' Dice: n/a where the expert label lacks that class. Regions: ET, TC = NCR ∪ ET, WT = NCR ∪ ED ∪ ET.' : ''}
      </p>
    </section>
  );
}

function ExportPanel({ results }: { results: RunResults }) {
  const edited = useAttune(currentEdit);
  const [summaryOpen, setSummaryOpen] = useState(false);
  const { mriCase } = results;
  const choice = useAttune((s) => s.exportLabels);
  const setChoice = useAttune((s) => s.setExportLabels);
  const convention = exportConvention(choice, mriCase.labelConvention);
  const template = mriCase.modalities.t1;
  const stem = caseStem([...Object.values(mriCase.modalities).map((v) => v.name)]);
  const saveMask = (labels: Uint8Array, tag: string, description: string) =>
    downloadFile(`${stem}_attune-${tag}.nii.gz`, writeNifti(template, fromInternalLabels(labels, convention), { description, intentCode: 1002 }), 'application/gzip');
  const given = mriCase.labelConvention ? `as the label map given: ${LABEL_CONVENTIONS[mriCase.labelConvention].name}` : `as the label map given (none here: ${LABEL_CONVENTIONS.brats2021.name})`;
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <label className="export-labels">
        Labels in exported masks{' '}
        <select data-testid="export-labels" value={choice} onChange={(e) => setChoice(e.target.value as ExportLabelsChoice)}>
          <option value="match">{given}</option>
          <option value="brats2021">{LABEL_CONVENTIONS.brats2021.name}</option>
          <option value="brats2023">{LABEL_CONVENTIONS.brats2023.name}</option>
        </select>
      </label>
      <div className="export-buttons">
        <button type="button" className="primary" data-testid="open-summary" onClick={() => setSummaryOpen(true)}>
          One-page summary (print / PDF / PNG)
        </button>
        {results.modes.map((m) => (
          <button key={m.mode} type="button" data-testid={`export-${m.mode}`} onClick={() => saveMask(m.labels, m.mode, `Attune mask, ${m.mode} adaptation`)}>
            {MODE_NAMES[m.mode]} mask (.nii.gz)
          </button>
        ))}
        <button type="button" data-testid="export-baseline" onClick={() => saveMask(results.baseline, 'baseline', 'Attune mask, no adaptation')}>
          Baseline mask (.nii.gz)
        </button>
        {edited && (
          <button type="button" data-testid="export-edited" onClick={() => saveMask(edited.labels, 'edited', `Attune mask, edited from ${edited.from}`)}>
            Edited mask (.nii.gz)
          </button>
        )}
        {results.modes.length > 0 && (
          <button
            type="button"
            data-testid="export-csv"
            onClick={() =>
              downloadFile(
                `${stem}_attune-loss.csv`,
                lossCurvesCsv(results.modes.map((m) => ({ mode: m.mode, lossCurve: m.report.lossCurve, chosenIteration: m.report.chosenIteration }))),
                'text/csv',
              )
            }
          >
            Loss curves (.csv)
          </button>
        )}
      </div>
      {summaryOpen && <SummaryPage results={results} onClose={() => setSummaryOpen(false)} />}
      <p className="muted" data-testid="export-note">
        Masks keep the input’s header and affine (labels 0, 1 NCR, 2 ED, {LABEL_CONVENTIONS[convention].et} ET), so they open aligned in any NIfTI viewer.
      </p>
    </section>
  );
}
