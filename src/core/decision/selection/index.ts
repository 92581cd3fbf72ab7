import { entropyAndFlip } from './entropyAndFlip.ts';
import { entropyDrop } from './entropyDrop.ts';
import { flipDrop } from './flipDrop.ts';
import type { SelectionRule } from './selectionRule.ts';

/** Every rule `auto` may choose candidates by; the report fits over all of them. */
export const SELECTION_RULES = { entropyDrop, flipDrop, entropyAndFlip } satisfies Record<string, SelectionRule>;
export type SelectionName = keyof typeof SELECTION_RULES;
export const SELECTION_NAMES = Object.keys(SELECTION_RULES) as SelectionName[];

export { relativeFall, type SelectionRule, type SelectionScore } from './selectionRule.ts';
