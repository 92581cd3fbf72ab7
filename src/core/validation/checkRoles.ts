import type { InputIssue } from '../inputIssue.ts';
import { MODALITIES, ROLE_LABELS, type FileRole } from '../modality/index.ts';

export interface RoleClaim {
  name: string;
  role: FileRole | null;
  /** False when the file could not be read; it then fills no role. */
  readable: boolean;
}

/**
 * Each of the four modalities must be claimed by exactly one readable file; the label
 * map is optional but at most one. Files with no role are only a warning: they are
 * simply not used.
 */
export function checkRoles(claims: RoleClaim[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const byRole = new Map<FileRole, string[]>();
  for (const c of claims) {
    if (!c.readable || c.role === null) continue;
    byRole.set(c.role, [...(byRole.get(c.role) ?? []), c.name]);
  }

  for (const [role, names] of byRole) {
    if (names.length > 1) {
      issues.push({
        code: 'duplicate-role',
        severity: 'error',
        files: names,
        message:
          `${names.length} files claim ${ROLE_LABELS[role]}: ${names.join(', ')}. ` +
          'Reassign or remove all but one in the table.',
      });
    }
  }

  const missing = MODALITIES.filter((m) => !byRole.has(m));
  if (missing.length > 0) {
    const unreadable = claims.filter((c) => !c.readable && c.role !== null && missing.includes(c.role as never));
    const why = unreadable.length > 0 ? ` (${unreadable.map((c) => c.name).join(', ')} could not be read)` : '';
    issues.push({
      code: 'missing-modality',
      severity: 'error',
      files: [],
      message:
        `Missing modality: ${missing.map((m) => ROLE_LABELS[m]).join(', ')}${why}. ` +
        'Attune needs T1, T1Gd, T2 and FLAIR of the same case; drop the missing file(s) or assign them in the table.',
    });
  }

  for (const c of claims) {
    if (c.readable && c.role === null) {
      issues.push({
        code: 'unrecognised-name',
        severity: 'warning',
        files: [c.name],
        message: `Could not tell which modality ${c.name} is from its name; choose it in the table, or leave it unused.`,
      });
    }
  }
  return issues;
}
