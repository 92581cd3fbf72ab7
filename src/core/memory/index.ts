export { INPUT_LIMITS, checkFileSize, checkDeclaredSize, formatBytes, type InputLimits } from './inputLimits.ts';
export { estimateRun, forwardTensors, planRun, limitsFor, ADAPT_TARGET_BYTES, FOLDED_WEIGHTS_FACTOR, WASM_BUDGET_BYTES, WASM_HEAP_BYTES, BACKWARD_FACTOR, ESTIMATE_MARGIN, MIN_STATS_SLICES, type MemoryLimits, type GpuBufferLimits, type RunEstimate, type RunPlan } from './runMemory.ts';
