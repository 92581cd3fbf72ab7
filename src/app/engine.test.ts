import { describe, expect, it } from 'vitest';
import { SHIPPED_MODEL, SHIPPED_MODEL_SOURCES } from '../worker/shippedModel.ts';
import { DEFAULT_MODEL_NAME, SHIPPED_MODELS } from '../core/model/shippedModels.ts';
import { engineOptionsFromUrl } from './engine.ts';

describe('engineOptionsFromUrl', () => {
  it('uses the bundled model and lets the worker choose the backend by default', () => {
    const o = engineOptionsFromUrl('http://localhost:5173/');
    expect(o.model).toBe(SHIPPED_MODEL);
    expect(o.modelLabel).toBe(DEFAULT_MODEL_NAME);
    expect(o.backend).toBeUndefined();
    expect(o.notices).toEqual([]);
  });

  it('every bundled model has its files, and ?model=<name> picks it with its own calibration', () => {
    expect(Object.keys(SHIPPED_MODEL_SOURCES).sort()).toEqual(SHIPPED_MODELS.map((m) => m.name).sort());
    expect(SHIPPED_MODEL).toBe(SHIPPED_MODEL_SOURCES[DEFAULT_MODEL_NAME]);
    for (const { name } of SHIPPED_MODELS) {
      const o = engineOptionsFromUrl(`http://localhost:5173/?model=${name}`);
      expect(o.model).toBe(SHIPPED_MODEL_SOURCES[name]);
      expect(o.model.calibrationUrl).toMatch(new RegExp(`${name}/calibration\\.json`));
      expect(o.modelLabel).toBe(name);
      expect(o.notices).toEqual([]);
    }
  });

  it('takes a same-origin model.json (relative or absolute) and ?backend=wasm', () => {
    const o = engineOptionsFromUrl('http://localhost:5173/app/?model=models/other/model.json&backend=wasm');
    expect(o.model).toEqual({ manifestUrl: 'http://localhost:5173/app/models/other/model.json', shardUrls: {} });
    expect(o.modelLabel).toBe('/app/models/other/model.json');
    expect(o.backend).toBe('wasm');
    expect(engineOptionsFromUrl('http://localhost:5173/?model=http://localhost:5173/m.json').model.manifestUrl).toBe('http://localhost:5173/m.json');
  });

  it('refuses a model on another origin and says why, keeping the bundled one', () => {
    for (const model of ['https://cdn.example.com/model.json', '//evil.example/model.json']) {
      const o = engineOptionsFromUrl(`http://localhost:5173/?model=${encodeURIComponent(model)}`);
      expect(o.model).toBe(SHIPPED_MODEL);
      expect(o.notices.join(' ')).toMatch(/must be on this page's origin/);
    }
  });

  it('names an unknown backend value instead of ignoring it silently', () => {
    const o = engineOptionsFromUrl('http://localhost:5173/?backend=webgl');
    expect(o.backend).toBeUndefined();
    expect(o.notices[0]).toMatch(/backend=webgl is not known/);
  });

  it('passes the ?gpuFault= testing switch to the worker, naming unknown values', () => {
    expect(engineOptionsFromUrl('http://localhost:5173/').gpuFault).toBeUndefined();
    expect(engineOptionsFromUrl('http://localhost:5173/?gpuFault=adaptation').gpuFault).toBe('adaptation');
    expect(engineOptionsFromUrl('http://localhost:5173/?gpuFault=inference').gpuFault).toBe('inference');
    expect(engineOptionsFromUrl('http://localhost:5173/?gpuFault=device-lost').gpuFault).toBe('device-lost');
    expect(engineOptionsFromUrl('http://localhost:5173/?gpuFault=skull-strip').gpuFault).toBe('skull-strip');
    const o = engineOptionsFromUrl('http://localhost:5173/?gpuFault=everything');
    expect(o.gpuFault).toBeUndefined();
    expect(o.notices[0]).toMatch(/gpuFault=everything is not known/);
  });
});
