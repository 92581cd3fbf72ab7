import { DEFAULT_MODEL_NAME } from '../../core/model/shippedModels.ts';
import { useAttune } from '../store.ts';

/** Which tfjs backend the worker runs on, and why (e.g. why not WebGPU). */
export function BackendBadge() {
  const engine = useAttune((s) => s.engine);
  const name = engine.backend === 'webgpu' ? 'WebGPU' : engine.backend === 'wasm' ? 'WebAssembly (wasm)' : null;
  let text: string;
  if (engine.status === 'starting') text = 'Starting the model…';
  else if (engine.status === 'failed') text = `Model unavailable: ${engine.error}`;
  else if (engine.status === 'ready') text = engine.backend === 'webgpu' ? `${name}` : `${name} — ${engine.reason}`;
  else text = 'Model not started';
  return (
    <div
      className={`backend-badge backend-badge--${engine.status} backend-badge--${engine.backend ?? 'none'}`}
      data-testid="backend-badge"
      data-status={engine.status}
      data-backend={engine.backend ?? ''}
      title={engine.reason ? `Backend: ${name ?? '—'}. ${engine.reason}. Model: ${engine.modelLabel}` : undefined}
    >
      <span className="backend-badge__dot" aria-hidden />
      {text}
      {engine.status === 'ready' && engine.modelLabel !== DEFAULT_MODEL_NAME && <span className="muted"> · model {engine.modelLabel}</span>}
    </div>
  );
}
