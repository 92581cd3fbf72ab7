import { BRATS_LABELS } from '../../core/index.ts';
import { LABEL_COLOURS, rgb } from '../labelColours.ts';
import { useAttune } from '../store.ts';

/** NCR / ED / ET on or off in every view (planes and 3D). */
export function LabelToggles() {
  const hidden = useAttune((s) => s.hiddenLabels);
  const setLabelShown = useAttune((s) => s.setLabelShown);
  return (
    <div className="label-toggles" role="group" aria-label="Labels shown">
      {BRATS_LABELS.map((l) => (
        <label key={l.key} title={l.name}>
          <input type="checkbox" aria-label={`Show ${l.key}`} checked={!hidden.includes(l.value)} onChange={(e) => setLabelShown(l.value, e.target.checked)} />
          <span className="swatch" style={{ background: rgb(LABEL_COLOURS[l.key]) }} aria-hidden /> {l.key}
        </label>
      ))}
    </div>
  );
}
