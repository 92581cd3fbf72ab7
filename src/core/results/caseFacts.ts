import type { MriCase } from '../case/index.ts';
import { LABEL_CONVENTIONS } from '../labels/index.ts';
import { CANONICAL_NAME, orientationName, orientationPlan } from '../orientation/index.ts';

/**
 * What Attune read from a valid case that the user should be able to confirm: the label
 * map's convention, and how the scan is stored when that is not the model's orientation.
 */
export function caseFacts(mriCase: MriCase): string[] {
  const facts: string[] = [];
  if (mriCase.label) {
    facts.push(
      mriCase.labelConvention
        ? `Label map: ${LABEL_CONVENTIONS[mriCase.labelConvention].name} convention detected.`
        : 'Label map: no enhancing-tumour voxel, so it reads the same in the BraTS 2021 and 2023+ conventions.',
    );
  }
  const t1 = mriCase.modalities.t1;
  const plan = orientationPlan(t1.affine, t1.dims, t1.name);
  if (!plan.identity) {
    facts.push(`Stored ${orientationName(plan)}: the model runs on it reoriented to ${CANONICAL_NAME} (no resampling); masks are shown and exported on your grid.`);
  }
  return facts;
}
