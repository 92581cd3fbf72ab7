import { DEFAULT_POLICY } from '../../core/decision/index.ts';
import type { RunMode } from '../store.ts';
import { MODE_NAMES } from '../modeNames.ts';
import { useAttune } from '../store.ts';

/**
 * Names the stage (and mode, iteration, loss) of the running job; the bar covers the
 * whole run: preprocessing + baseline, then adapt + segment for each mode.
 */
export function RunProgressBar() {
  const run = useAttune((s) => s.run);
  const settings = useAttune((s) => s.settings);
  const p = run.progress;
  const steps = 1 + 2 * run.modes.length;
  let step = 0;
  let within = 0;
  let text = 'Starting…';
  if (p) {
    const modeIndex = p.mode ? run.modes.indexOf(p.mode as RunMode) : -1;
    const name = p.mode ? MODE_NAMES[p.mode as RunMode] ?? p.mode : '';
    if (p.stage === 'preprocess') text = 'Preprocessing the scans…';
    else if (p.stage === 'baseline') {
      within = p.total ? (p.done ?? 0) / p.total : 0;
      text = `Baseline segmentation: slice ${p.done ?? 0} of ${p.total ?? '?'}`;
    } else if (p.stage === 'adapt') {
      step = 1 + 2 * modeIndex;
      const total = p.total ?? (p.mode === 'auto' ? DEFAULT_POLICY.candidates[0].settings : settings[p.mode as Exclude<RunMode, 'auto'>])?.iterations ?? 0;
      within = total > 0 ? ((p.iteration ?? 0) + 1) / (total + 1) : 1;
      text = `Adapting (${name}${p.variant ? `: candidate ${p.variant}` : ''}): iteration ${p.iteration ?? 0} of ${total} · loss ${formatLoss(p.loss)}`;
    } else if (p.stage === 'segment') {
      step = 2 + 2 * modeIndex;
      within = p.total ? (p.done ?? 0) / p.total : 0;
      text = `Segmenting with the adapted model (${name}): slice ${p.done ?? 0} of ${p.total ?? '?'}`;
    }
  }
  const fraction = Math.min(1, (step + within) / steps);
  return (
    <div className="progress" data-testid="progress" data-stage={p?.stage ?? 'starting'}>
      <progress max={1} value={fraction} aria-label="Run progress" />
      <span className="progress__text" role="status" data-testid="progress-text">{text}</span>
    </div>
  );
}

export function formatLoss(loss: number | undefined): string {
  if (loss === undefined || !Number.isFinite(loss)) return '—';
  return Math.abs(loss) >= 0.01 ? loss.toFixed(4) : loss.toExponential(2);
}
