// `@niivue/dcm2niix`'s Emscripten module, reached through the Vite alias in vite.config.ts
// (the package's exports map only exposes its own worker-starting entry point).
declare module '@niivue/dcm2niix-dist/dcm2niix.jpeg.js' {
  import type { Dcm2niixFactory } from '../core/dicom/index.ts';
  const factory: Dcm2niixFactory;
  export default factory;
}
