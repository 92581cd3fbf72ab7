import { fileURLToPath } from 'node:url';

/**
 * The bundled demo case (public/demo, see its README): BraTS2021_00324, its five files copied
 * unchanged from the BraTS 2021 training set — the same bytes as
 * ../shared/data/brats2021/BraTS2021_00324. Real-case tests read it from here, so they run on
 * every machine (CI has no ../shared) instead of skipping.
 */
export const DEMO_CASE = 'BraTS2021_00324';
export const DEMO_CASE_DIR = fileURLToPath(new URL('../../public/demo/', import.meta.url));
