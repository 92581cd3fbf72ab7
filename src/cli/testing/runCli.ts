import { vi } from 'vitest';
import { main } from '../main.ts';

/** Runs `attune <args>` in-process for a test: its exit code and what it printed (stdout) and logged (stderr). */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  try {
    return { code: await main(args), stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}
