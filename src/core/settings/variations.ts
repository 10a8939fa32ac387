/** The four variations of the alert, with what to show (docs/detection.md "The four variations"). */

export type VariationId = 'website_access' | 'website_upload' | 'text_share_download' | 'text_share_upload';
export type Severity = 'informational' | 'low' | 'medium' | 'high';

export interface VariationInfo {
  id: VariationId;
  name: string;
  severity: Severity;
  description: string;
}

export const VARIATIONS: Readonly<Record<VariationId, VariationInfo>> = {
  website_access: {
    id: 'website_access',
    name: 'A non-browser process accessed a website UI',
    severity: 'informational',
    description: 'An uncommon network communication between a non-browser process and a website UI.',
  },
  website_upload: {
    id: 'website_upload',
    name: 'Uncommon data upload to a website through a Non-browser process',
    severity: 'low',
    description: 'Uncommon data upload to a website through a Non browser process.',
  },
  text_share_download: {
    id: 'text_share_download',
    name: 'Uncommon data download from a known text share website through a Non-browser process',
    severity: 'medium',
    description: 'Uncommon content download from a known text share website through a Non browser process.',
  },
  text_share_upload: {
    id: 'text_share_upload',
    name: 'Suspicious content upload to a known text share website by Non browser process',
    severity: 'high',
    description: 'Uncommon data upload to a known text share website through a Non-browser process.',
  },
};

export const VARIATION_IDS = Object.keys(VARIATIONS) as VariationId[];

/** Higher is more severe; for sorting. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { informational: 0, low: 1, medium: 2, high: 3 };

export const MITRE = {
  tactic: 'TA0011',
  tacticName: 'Command and Control',
  technique: 'T1102',
  techniqueName: 'Web Service',
} as const;

export const ATTACKER_GOALS = 'Data exfiltration or attack tool staging.';

export const INVESTIGATIVE_ACTIONS: readonly string[] = [
  'Examine the host to verify that it was not part of infiltration or data exfiltration from the organization.',
  "Verify that the host doesn't hold sensitive company data that can be easily exfiltrated.",
];
