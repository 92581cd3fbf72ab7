import { FILE_ROLES, ROLE_LABELS, type FileRole } from '../../core/index.ts';
import { useAttune } from '../store.ts';

const UNUSED = '';

function formatSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** File → role table; every role can be changed by hand (the guess from the name is shown). */
export function AssignmentTable() {
  const files = useAttune((s) => s.files);
  const assignRole = useAttune((s) => s.assignRole);
  const removeFile = useAttune((s) => s.removeFile);
  const clear = useAttune((s) => s.clear);
  if (files.length === 0) return null;

  return (
    <section className="panel" aria-labelledby="files-heading">
      <div className="panel__header">
        <h2 id="files-heading">Files</h2>
        <button type="button" className="link-button" onClick={clear}>Start over</button>
      </div>
      <table className="assignment-table" data-testid="assignment-table">
        <thead>
          <tr>
            <th>File</th>
            <th>Role</th>
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const how = f.role === null ? 'not used' : f.role === f.detectedRole ? (f.roleReason ? 'from DICOM' : 'from name') : 'set by hand';
            return (
              <tr key={f.id} data-testid="file-row" className={f.readIssue ? 'row--error' : undefined}>
                <td className="file-cell">
                  <div className="file-name" title={f.name}>{f.name}</div>
                  <div className="muted">
                    {f.volume ? `${f.volume.dims.join('×')} · ` : 'unreadable · '}
                    {formatSize(f.sizeBytes)}
                    {f.volume ? ` · ${how}` : ''}
                  </div>
                  {f.roleReason && f.role === f.detectedRole && <div className="muted" data-testid="role-reason">{f.roleReason}</div>}
                </td>
                <td>
                  <select
                    aria-label={`Role of ${f.name}`}
                    value={f.role ?? UNUSED}
                    disabled={f.readIssue !== null}
                    onChange={(e) => assignRole(f.id, (e.target.value || null) as FileRole | null)}
                  >
                    <option value={UNUSED}>— not used —</option>
                    {FILE_ROLES.map((role) => (
                      <option key={role} value={role}>{ROLE_LABELS[role]}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="icon-button" aria-label={`Remove ${f.name}`} onClick={() => removeFile(f.id)}>
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
