import { LABEL_COLOURS, formatMl, rgb } from '../labelColours.ts';
import { useAttune } from '../store.ts';

/** Legend of the label overlay with each region's volume. */
export function LabelLegend() {
  const stats = useAttune((s) => s.labelStats);
  const showLabels = useAttune((s) => s.showLabels);
  const setShowLabels = useAttune((s) => s.setShowLabels);
  if (!stats) return <p className="muted legend-empty">No label map in this case.</p>;
  return (
    <div className="legend" data-testid="legend">
      <label className="legend__toggle">
        <input type="checkbox" checked={showLabels} onChange={(e) => setShowLabels(e.target.checked)} />
        Expert labels
      </label>
      <ul>
        {stats.map((s) => (
          <li key={s.key} data-testid={`legend-${s.key}`}>
            <span className="swatch" style={{ background: rgb(LABEL_COLOURS[s.key]) }} aria-hidden />
            <span className="legend__key">{s.key}</span>
            <span className="legend__name">{s.name}</span>
            <span className="legend__ml">{formatMl(s.ml)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
