import { describe, expect, it } from 'vitest';
import { Dying, FaultHooks } from './faultHooks.ts';
import { GpuFailure } from './gpuFallback.ts';

describe('the worker test-fault hooks', () => {
  const make = () => {
    const calls: string[] = [];
    return { calls, hooks: new FaultHooks({ destroyGpuDevice: () => calls.push('destroy'), closeWorker: () => calls.push('close') }) };
  };

  it('unarmed: every hook is a no-op', () => {
    const { calls, hooks } = make();
    for (const step of [0, 1, 5]) {
      hooks.duringAdaptation(step);
      hooks.onGpuCheckpoint('inference', step);
      hooks.onGpuCheckpoint('adaptation', step);
    }
    expect(calls).toEqual([]);
  });

  it('death: after the first adaptation iteration, exit closes silently, crash says what it is', () => {
    const exit = make();
    exit.hooks.armDeath('exit');
    exit.hooks.duringAdaptation(0);
    expect(() => exit.hooks.duringAdaptation(1)).toThrow(Dying);
    expect(exit.calls).toEqual(['close']);
    const crash = make();
    crash.hooks.armDeath('crash');
    expect(() => crash.hooks.duringAdaptation(2)).toThrow(/injected crash during adaptation \(\?workerFault=crash/);
    expect(crash.calls).toEqual([]);
  });

  it('a GPU fault fires once, at its stage, after step 0; device-lost destroys the device without throwing', () => {
    const { calls, hooks } = make();
    hooks.armGpuFault('adaptation');
    hooks.onGpuCheckpoint('inference', 3);
    hooks.onGpuCheckpoint('adaptation', 0);
    expect(() => hooks.onGpuCheckpoint('adaptation', 1)).toThrow(GpuFailure);
    hooks.onGpuCheckpoint('adaptation', 2); // once: the rerun on wasm must not fail again
    const lost = make();
    lost.hooks.armGpuFault('device-lost');
    lost.hooks.onGpuCheckpoint('inference', 4);
    lost.hooks.onGpuCheckpoint('adaptation', 1);
    lost.hooks.onGpuCheckpoint('adaptation', 2);
    expect(lost.calls).toEqual(['destroy']);
    expect(calls).toEqual([]);
  });

  it("skull-strip: the raw-study worker's MindGrab fails once, after its first chunk, saying it was injected", () => {
    const { hooks } = make();
    hooks.armGpuFault('skull-strip');
    hooks.onGpuCheckpoint('inference', 2);
    hooks.onGpuCheckpoint('skull-strip', 0);
    expect(() => hooks.onGpuCheckpoint('skull-strip', 1)).toThrow(/GPUDevice was lost during skull-strip \(injected by \?gpuFault=skull-strip for testing\)/);
    hooks.onGpuCheckpoint('skull-strip', 2);
  });
});
