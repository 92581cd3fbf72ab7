import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_CASE } from './demoCase.ts';

describe('the bundled demo case', () => {
  it('lists each file with its size as shipped in public/demo (what the file table shows)', () => {
    for (const name of DEMO_CASE.files) {
      const path = fileURLToPath(new URL(`../../public/demo/${name}`, import.meta.url));
      expect(DEMO_CASE.sizes[name.replace(/\.nii\.gz$/, '')], name).toBe(statSync(path).size);
    }
  });
});
