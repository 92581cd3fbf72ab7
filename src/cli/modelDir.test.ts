import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_NAME, SHIPPED_MODELS } from '../core/model/shippedModels.ts';
import { DEFAULT_MODEL_DIR, modelDirOf } from './main.ts';

describe('--model', () => {
  it('names a bundled model, each with its weights and its own calibration', () => {
    for (const { name } of SHIPPED_MODELS) {
      const dir = modelDirOf({ model: name });
      expect(dir.replace(/\/$/, '').endsWith(`models/${name}`)).toBe(true);
      for (const f of ['model.json', 'weights.bin', 'calibration.json']) expect(existsSync(join(dir, f)), `${name}/${f}`).toBe(true);
    }
  });

  it('defaults to the default model and takes any other folder as it is', () => {
    expect(modelDirOf({})).toBe(DEFAULT_MODEL_DIR);
    expect(DEFAULT_MODEL_DIR.replace(/\/$/, '').endsWith(`models/${DEFAULT_MODEL_NAME}`)).toBe(true);
    expect(modelDirOf({ model: '/tmp/my-model' })).toBe('/tmp/my-model');
  });
});
