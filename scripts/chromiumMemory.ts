/**
 * Chromium's memory while a script drives it (Linux): every Chromium process below this Node
 * process (Playwright launches it as our child), read from /proc every `everyMs`. A page's
 * dedicated workers are threads of its renderer process, so the renderer's RSS is the tab —
 * page, raw-study worker, wasm heaps; the total is the proportional set size (PSS) of all of
 * Chromium's processes (shared pages counted once). Peaks are kept overall and per label
 * (the step the script says is running).
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc { pid: number; ppid: number; type: string }

/** Every process below `root` (its children, theirs, …); `type` is Chromium's --type (browser when none), '' for other programs. */
export function descendants(root = process.pid): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of processes()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const below: Proc[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (below.push(c), walk(c.pid)));
  walk(root);
  return below;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!/chrom/i.test(cmd[0] ?? '')) {
        out.push({ pid: Number(name), ppid, type: '' });
        continue;
      }
      const type = cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
      out.push({ pid: Number(name), ppid, type });
    } catch {
      // The process ended while we read it.
    }
  }
  return out;
}

export function rollup(pid: number): { rssKiB: number; pssKiB: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (f: string) => Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKiB: field('Rss'), pssKiB: field('Pss') };
  } catch {
    return { rssKiB: 0, pssKiB: 0 };
  }
}

export interface MemorySample { rendererRssMiB: number; totalPssMiB: number }

/** One reading: the largest renderer's RSS and all Chromium processes' PSS below `root`. */
export function chromiumMemory(root = process.pid): MemorySample {
  let renderer = 0, total = 0;
  for (const p of descendants(root).filter((d) => d.type)) {
    const m = rollup(p.pid);
    total += m.pssKiB;
    if (p.type === 'renderer') renderer = Math.max(renderer, m.rssKiB);
  }
  return { rendererRssMiB: Math.round(renderer / 1024), totalPssMiB: Math.round(total / 1024) };
}

/** Samples every `everyMs` until stopped; `label` names what runs now (peaks are kept per label). */
export function sampleChromiumMemory(everyMs = 500) {
  let label = 'start';
  const peaks = new Map<string, MemorySample>();
  const overall: MemorySample = { rendererRssMiB: 0, totalPssMiB: 0 };
  const take = () => {
    const s = chromiumMemory();
    const p = peaks.get(label) ?? { rendererRssMiB: 0, totalPssMiB: 0 };
    peaks.set(label, { rendererRssMiB: Math.max(p.rendererRssMiB, s.rendererRssMiB), totalPssMiB: Math.max(p.totalPssMiB, s.totalPssMiB) });
    overall.rendererRssMiB = Math.max(overall.rendererRssMiB, s.rendererRssMiB);
    overall.totalPssMiB = Math.max(overall.totalPssMiB, s.totalPssMiB);
  };
  const timer = setInterval(take, everyMs);
  return {
    setLabel(next: string) {
      take();
      label = next;
    },
    stop() {
      clearInterval(timer);
      take();
      return { peak: overall, byStep: Object.fromEntries(peaks), everyMs };
    },
  };
}
