/**
 * Numbers and times as a person reads them on the page. Pure: no clock, no locale,
 * so the same report renders the same bytes on every server.
 */

const BYTE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A byte count in binary units: `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${BYTE_UNITS[unit]}`;
}

/** An ISO timestamp as `2026-11-21 14:03:12 UTC`, or the text as given when it does not parse. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A CPU share as `16.3%`, or an em dash when unknown. */
export function formatPercent(value: number | null): string {
  if (value === null) return '—';
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** A whole count with its noun, singular or plural: `1 thread`, `33 threads`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A 0..1 ratio as a whole percentage: `0.95` → `95%`. */
export function formatRatio(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
