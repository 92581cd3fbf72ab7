import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { SEGMENT_FLAGS, SEGMENT_SWITCHES } from './segment.ts';

describe('parseArgs switches', () => {
  it('a switch takes no value; the next argument stays positional or a flag', () => {
    const r = parseArgs(['case', '--no-postprocess', '--out', 'm.nii.gz'], SEGMENT_FLAGS, SEGMENT_SWITCHES);
    expect(r.flags).toEqual({ 'no-postprocess': 'true', out: 'm.nii.gz' });
    expect(r.positional).toEqual(['case']);
    expect(parseArgs(['case', '--out', 'm.nii'], SEGMENT_FLAGS, SEGMENT_SWITCHES).flags['no-postprocess']).toBeUndefined();
  });

  it('refuses a value given to a switch, and a switch the command does not know', () => {
    expect(() => parseArgs(['--no-postprocess=yes'], SEGMENT_FLAGS, SEGMENT_SWITCHES)).toThrow(/--no-postprocess takes no value/);
    expect(() => parseArgs(['--no-postprocess'], SEGMENT_FLAGS)).toThrow(/unknown option --no-postprocess/);
  });
});
