import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_SETTINGS, type AdaptSettings } from '../../core/tta/index.ts';
import { DEFAULT_POLICY, SELECTION_RULES, SIGNAL_LABELS, candidateWords } from '../../core/decision/index.ts';
import { MODE_HINTS, MODE_NAMES } from '../modeNames.ts';
import { COMPARABLE_MODES, isGradientMode, RUN_MODES, settingProblem, useAttune, type RunMode } from '../store.ts';

const MODE_TAGS: Record<RunMode, string> = {
  auto: ' (default)', none: '', normalizer: '', bn: '', tent: ' (baseline method)', adabn: ' (baseline method)', bnmix: ' (research variant)',
};

/** What `auto` will do, in the words of its rule (src/core/decision/defaultPolicy.ts); not editable here. */
function AutoRule() {
  const calibration = useAttune((s) => s.engine.calibration);
  const p = DEFAULT_POLICY;
  return (
    <div className="settings" data-testid="auto-rule">
      <p className="muted">
        {p.adaptAboveRatio === 0 ? 'On every scan with a tumour, adapts' : `Only when the ${SIGNAL_LABELS[p.signal]} is above ${p.adaptAboveRatio}× the highest value among the reference scans (in-domain scans the model did not train on; its training scans if the calibration has none), adapts`}{' '}
        with each of {candidateWords(p)}, then keeps the candidate whose {SELECTION_RULES[p.selection].summary} is largest
        {p.minImprovement > 0 ? ` (at least ${Math.round(100 * p.minImprovement)} %)` : ' (it must fall)'}, among those whose tumour volume changed by at most{' '}
        {Math.round(100 * p.maxVolumeChange)} %. Otherwise it shows the baseline.
      </p>
      {calibration && calibration.state !== 'loaded' && (
        <p className="notice-text" data-testid="auto-uncalibrated">Without a calibration it always keeps the baseline: {calibration.message}.</p>
      )}
    </div>
  );
}
import { RunProgressBar } from './RunProgressBar.tsx';

type NumericKey = 'learningRate' | 'iterations' | 'statsSlices';

/**
 * Run and compare: the mode, its settings (remembered between visits), the Run and
 * Compare buttons, progress and Cancel. All work happens in the worker.
 */
export function RunPanel() {
  const mriCase = useAttune((s) => s.check.mriCase);
  const engine = useAttune((s) => s.engine);
  const run = useAttune((s) => s.run);
  const selectedMode = useAttune((s) => s.selectedMode);
  const compareModes = useAttune((s) => s.compareModes);
  const settings = useAttune((s) => s.settings);
  const setSelectedMode = useAttune((s) => s.setSelectedMode);
  const setCompareMode = useAttune((s) => s.setCompareMode);
  const startRun = useAttune((s) => s.startRun);
  const cancelRun = useAttune((s) => s.cancelRun);
  const postprocess = useAttune((s) => s.postprocess);
  const setPostprocess = useAttune((s) => s.setPostprocess);
  const [invalid, setInvalid] = useState<Record<string, boolean>>({});

  const running = run.status === 'running';
  // While new files are read, the case on screen is about to be replaced: a run now would
  // segment the old case and be cancelled when the new one arrives.
  const reading = useAttune((s) => s.reading);
  const blocked = reading ? 'Reading files…' : !mriCase ? 'Load a complete case first.' : engine.status === 'starting' ? 'The model is still loading…' : engine.status === 'failed' ? 'The model could not be started.' : engine.status !== 'ready' ? 'The model is not started.' : null;
  const anyInvalid = Object.values(invalid).some(Boolean);
  const canRun = !blocked && !running && !anyInvalid;
  const onValidity = useCallback((field: string, bad: boolean) => setInvalid((v) => (v[field] === bad ? v : { ...v, [field]: bad })), []);

  return (
    <section className="panel" aria-labelledby="run-heading" data-testid="run-panel">
      <h2 id="run-heading">Segment and adapt</h2>
      <label className="field">
        <span>Adaptation</span>
        <select aria-label="Adaptation mode" value={selectedMode} disabled={running} onChange={(e) => setSelectedMode(e.target.value as RunMode)}>
          {RUN_MODES.map((m) => (
            <option key={m} value={m}>{MODE_NAMES[m]}{MODE_TAGS[m]}</option>
          ))}
        </select>
      </label>
      <p className="muted hint">{MODE_HINTS[selectedMode]}</p>
      {selectedMode === 'auto' ? (
        <AutoRule />
      ) : (
        <SettingsFields key={selectedMode} settings={settings[selectedMode]} disabled={running} onValidity={onValidity} />
      )}
      <label className="field" title="Removes small isolated tumour specks and relabels a tiny enhancing tumour as necrotic core, as the BraTS winners' pipelines do. Applies to every mask of the next run.">
        <input type="checkbox" data-testid="postprocess" checked={postprocess} disabled={running} onChange={(e) => setPostprocess(e.target.checked)} />
        <span>Post-process masks</span>
      </label>
      <div className="run-buttons">
        <button type="button" className="primary" data-testid="run" disabled={!canRun} onClick={() => startRun([selectedMode])}>
          Run
        </button>
        <button type="button" data-testid="compare" disabled={!canRun || compareModes.length === 0} onClick={() => startRun(compareModes)}>
          Compare {compareModes.map((m) => MODE_NAMES[m]).join(' vs ') || '…'}
        </button>
      </div>
      <fieldset className="compare-modes" disabled={running}>
        <legend className="muted">Compare runs, each with its own settings:</legend>
        {COMPARABLE_MODES.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={compareModes.includes(m)} onChange={(e) => setCompareMode(m, e.target.checked)} />
            {MODE_NAMES[m]}
          </label>
        ))}
      </fieldset>
      {blocked && !running && <p className="muted" data-testid="run-blocked">{blocked}</p>}
      {running && (
        <div className="run-status">
          <RunProgressBar />
          <button type="button" data-testid="cancel" onClick={cancelRun} disabled={run.cancelling}>
            {run.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {run.status === 'cancelled' && <p className="muted" data-testid="run-cancelled" role="status">Run cancelled. Nothing was changed; you can run again.</p>}
      {run.notices.length > 0 && (
        <ul className="run-notices" data-testid="run-notices">
          {run.notices.map((n) => (
            <li key={n} className="notice-text" data-testid="run-notice">{n}</li>
          ))}
        </ul>
      )}
      {run.status === 'failed' && run.workerLost && (
        <p className="error-text" data-testid="run-error" data-cause="worker-lost" role="alert">{run.error}</p>
      )}
      {run.status === 'failed' && !run.workerLost && (
        <p className="error-text" data-testid="run-error" role="alert">
          The run failed: {run.error?.replace(/\.$/, '')}. The case is unchanged; you can change settings and run again.
        </p>
      )}
    </section>
  );
}

/** The selected mode's optimiser settings; a field with a bad value says why and blocks Run. */
function SettingsFields({ settings, disabled, onValidity }: { settings: AdaptSettings; disabled: boolean; onValidity: (field: string, bad: boolean) => void }) {
  const setSettings = useAttune((s) => s.setSettings);
  const resetSettings = useAttune((s) => s.resetSettings);
  const { mode } = settings;
  const gradient = isGradientMode(mode);
  const isDefault = JSON.stringify(settings) === JSON.stringify(DEFAULT_SETTINGS[mode]);
  if (mode === 'none') return null;
  return (
    <div className="settings" data-testid="settings">
      {gradient && (
        <label className="field">
          <span>Optimizer</span>
          <select aria-label="Optimizer" value={settings.optimizer} disabled={disabled} onChange={(e) => setSettings(mode, { optimizer: e.target.value as AdaptSettings['optimizer'] })}>
            <option value="adam">Adam</option>
            <option value="sgd">SGD</option>
          </select>
        </label>
      )}
      {gradient && <NumberField label="Learning rate" field="learningRate" settings={settings} disabled={disabled} onValidity={onValidity} />}
      {gradient && <NumberField label="Iterations" field="iterations" settings={settings} disabled={disabled} onValidity={onValidity} />}
      <NumberField label="Statistics slices" field="statsSlices" settings={settings} disabled={disabled} onValidity={onValidity} />
      {(mode === 'normalizer' || mode === 'bn') && (
        <>
          <label className="field" title="Research variant: align only the input block and the first down-sampling block, where the scanner's signature lives (the deep layers follow tumour and anatomy). Passes stop at those layers, so it is faster.">
            <span>Aligned layers</span>
            <select aria-label="Aligned layers" value={settings.layers ?? 'all'} disabled={disabled} onChange={(e) => setSettings(mode, { layers: e.target.value === 'shallow' ? 'shallow' : undefined })}>
              <option value="all">All BN layers (the method)</option>
              <option value="shallow">Shallow layers only</option>
            </select>
          </label>
          <label className="field" title="Research variant: measure the statistics over brain pixels only and align them to the calibrated brain-pixel reference of the training scans (needs the model's calibration).">
            <span>Pixels</span>
            <select aria-label="Pixels" value={settings.pixels ?? 'all'} disabled={disabled} onChange={(e) => setSettings(mode, { pixels: e.target.value === 'brain' ? 'brain' : undefined })}>
              <option value="all">All pixels (the method)</option>
              <option value="brain">Brain pixels only</option>
            </select>
          </label>
        </>
      )}
      {!isDefault && (
        <button type="button" className="link-button" disabled={disabled} onClick={() => resetSettings(mode)}>
          Reset {MODE_NAMES[mode]} to defaults
        </button>
      )}
    </div>
  );
}

function NumberField({ label, field, settings, disabled, onValidity }: { label: string; field: NumericKey; settings: AdaptSettings; disabled: boolean; onValidity: (field: string, bad: boolean) => void }) {
  const setSettings = useAttune((s) => s.setSettings);
  const stored = String(settings[field]);
  const [text, setText] = useState(stored);
  // Follow the store when it changes from elsewhere (reset, another tab's value on load).
  useEffect(() => setText(stored), [stored]);
  const problem = text.trim() === '' ? 'enter a number' : settingProblem(field, Number(text));
  useEffect(() => {
    onValidity(field, problem !== null);
    return () => onValidity(field, false);
  }, [field, problem, onValidity]);
  return (
    <label className="field">
      <span>{label}</span>
      <input
        aria-label={label}
        inputMode="decimal"
        value={text}
        disabled={disabled}
        aria-invalid={problem !== null}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && settingProblem(field, v) === null) setSettings(settings.mode, { [field]: v });
        }}
      />
      {problem && <span className="field__error" role="alert">{label}: {problem}</span>}
    </label>
  );
}
