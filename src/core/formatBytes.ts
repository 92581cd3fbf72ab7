const MiB = 1024 * 1024;

/** A size in the words of the messages about it (input limits, run memory): "1.5 GiB", "17 MiB", "300 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${Math.round(bytes / MiB)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
