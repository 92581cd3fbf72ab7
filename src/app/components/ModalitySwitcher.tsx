import { MODALITIES, ROLE_LABELS } from '../../core/index.ts';
import { useAttune } from '../store.ts';

/** Which scan the viewer shows under the label overlay. */
export function ModalitySwitcher() {
  const viewModality = useAttune((s) => s.viewModality);
  const setViewModality = useAttune((s) => s.setViewModality);
  return (
    <div className="segmented" role="radiogroup" aria-label="Modality shown">
      {MODALITIES.map((m) => (
        <button
          key={m}
          type="button"
          role="radio"
          aria-checked={viewModality === m}
          className={viewModality === m ? 'active' : undefined}
          onClick={() => setViewModality(m)}
        >
          {ROLE_LABELS[m]}
        </button>
      ))}
    </div>
  );
}
