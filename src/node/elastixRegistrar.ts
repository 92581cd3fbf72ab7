import { elastixNode } from '@itk-wasm/elastix';
import { elastixRegistrar, type Registrar } from '../core/registration/index.ts';

/**
 * elastix (ITK-wasm) in Node: the pipeline's wasm ships inside the npm package
 * (`dist/pipelines/elastix.wasm.zst`, read from disk by itk-wasm's runPipelineNode), so
 * nothing is fetched. Single-threaded wasm; one call per pair of images.
 */
export function elastixNodeRegistrar(): Registrar {
  return elastixRegistrar((maps, images) => elastixNode(maps as never, images as never));
}
