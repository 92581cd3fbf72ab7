/**
 * A tiny, strict flag parser: unknown flags are errors, values are checked by the caller.
 * Switches (`booleans`, e.g. --no-postprocess) take no value and read as "true".
 */
export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string>;
}

export function parseArgs(argv: string[], known: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2);
    if (booleans.includes(name)) {
      if (inline !== undefined) throw new Error(`--${name} takes no value`);
      flags[name] = 'true';
      continue;
    }
    if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${[...known, ...booleans].map((k) => '--' + k).join(', ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    flags[name] = value;
  }
  return { positional, flags };
}

export function numberFlag(flags: Record<string, string>, name: string, check: (v: number) => boolean, what: string): number | undefined {
  if (flags[name] === undefined) return undefined;
  const v = Number(flags[name]);
  if (!Number.isFinite(v) || !check(v)) throw new Error(`--${name} must be ${what}, got "${flags[name]}"`);
  return v;
}
