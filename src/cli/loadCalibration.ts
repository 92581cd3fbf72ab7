import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttuneModel } from '../core/model/index.ts';
import { parseCalibration, type Calibration } from '../core/signals/index.ts';
import { CALIBRATION_FILE } from './calibrate.ts';

/**
 * The model's calibration.json, or null when it has none (auto then keeps the baseline and
 * says why). A calibration of other weights is an error: reading a scan against the wrong
 * model's training scans would be silently wrong.
 */
export async function loadCalibration(modelDir: string, model: AttuneModel): Promise<Calibration | null> {
  let text: string;
  try {
    text = await readFile(join(modelDir, CALIBRATION_FILE), 'utf8');
  } catch {
    return null;
  }
  return parseCalibration(JSON.parse(text), model.checksum);
}
