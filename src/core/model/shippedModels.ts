/**
 * The models Attune ships (folders under `models/`, each with its model.json, weights and
 * calibration). The first is the default; every other stays loadable by name (`?model=<name>`
 * and the settings' model picker in the app, `--model <name>` in the CLI), each with its own
 * calibration. Which one is the default is decided by held-out numbers (training/README.md).
 */
export interface ShippedModelInfo {
  /** The folder under models/ and the name users type. */
  name: string;
  /** One line for the picker: what it was trained on. */
  summary: string;
}

export const SHIPPED_MODELS: readonly ShippedModelInfo[] = [
  { name: 'attune-brats-inst18', summary: 'v1 — 7 institution-18 scans, 33 CPU-minutes' },
];

export const DEFAULT_MODEL_NAME = SHIPPED_MODELS[0].name;

export function isShippedModelName(name: string): boolean {
  return SHIPPED_MODELS.some((m) => m.name === name);
}
