/** An analyst's verdict on an alert, kept by alert id across runs and in the state file. */
export type TriageStatus = 'new' | 'investigating' | 'benign' | 'malicious';
export const TRIAGE_STATUSES: readonly TriageStatus[] = ['new', 'investigating', 'benign', 'malicious'];

export interface Triage {
  status: TriageStatus;
  note: string;
  /** ISO time of the last change. */
  changedAt: string;
}
