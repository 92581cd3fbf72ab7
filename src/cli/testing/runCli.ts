import { vi } from 'vitest';
import { main } from '../main.ts';

/** Runs `attune <args>` in-process for a test: its exit code and everything it wrote to stderr. */
export async function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  try {
    return { code: await main(args), stderr: err.join('') };
  } finally {
    se.mockRestore();
  }
}
