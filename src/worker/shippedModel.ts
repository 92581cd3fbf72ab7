import manifestUrl from '../../models/attune-brats-inst18/model.json?url';
import weightsUrl from '../../models/attune-brats-inst18/weights.bin?url';
import calibrationUrl from '../../models/attune-brats-inst18/calibration.json?url';
import type { ModelSource } from './protocol.ts';

/** The bundled model, served by the app itself (Vite copies the files into the build). */
export const SHIPPED_MODEL: ModelSource = { manifestUrl, shardUrls: { 'weights.bin': weightsUrl }, calibrationUrl };
