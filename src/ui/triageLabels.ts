import type { TriageStatus } from '../core/alerts/triage';

/** How triage statuses read on screen. */
export const STATUS_LABELS: Readonly<Record<TriageStatus, string>> = {
  new: 'New',
  investigating: 'Investigating',
  benign: 'Benign',
  malicious: 'Malicious',
};

/** The status filter's choices: one status, or the ones still open. */
export const STATUS_FILTERS: readonly { value: string; label: string; statuses: TriageStatus[] }[] = [
  { value: '', label: 'Any status', statuses: [] },
  { value: 'open', label: 'Open (new, investigating)', statuses: ['new', 'investigating'] },
  { value: 'new', label: 'New', statuses: ['new'] },
  { value: 'investigating', label: 'Investigating', statuses: ['investigating'] },
  { value: 'benign', label: 'Benign', statuses: ['benign'] },
  { value: 'malicious', label: 'Malicious', statuses: ['malicious'] },
];

export function statusFilterValue(statuses: readonly TriageStatus[]): string {
  const key = [...statuses].sort().join(',');
  return STATUS_FILTERS.find((f) => [...f.statuses].sort().join(',') === key)?.value ?? '';
}
