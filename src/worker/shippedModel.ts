import v1Manifest from '../../models/attune-brats-inst18/model.json?url';
import v1Weights from '../../models/attune-brats-inst18/weights.bin?url';
import v1Calibration from '../../models/attune-brats-inst18/calibration.json?url';
import { DEFAULT_MODEL_NAME, SHIPPED_MODELS } from '../core/model/shippedModels.ts';
import type { ModelSource } from './protocol.ts';

/**
 * The bundled models' files, served by the app itself (Vite copies them into the build). Vite
 * needs each import spelled out, so a model added to SHIPPED_MODELS is added here too (the
 * test beside this file checks that both lists agree).
 */
export const SHIPPED_MODEL_SOURCES: Readonly<Record<string, ModelSource>> = {
  'attune-brats-inst18': { manifestUrl: v1Manifest, shardUrls: { 'weights.bin': v1Weights }, calibrationUrl: v1Calibration },
};

/** The default bundled model. */
export const SHIPPED_MODEL: ModelSource = SHIPPED_MODEL_SOURCES[DEFAULT_MODEL_NAME];

export const shippedModelNames = (): string[] => SHIPPED_MODELS.map((m) => m.name);
