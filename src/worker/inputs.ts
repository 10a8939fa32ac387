import { datasetFiles, DEFAULT_GENERATE, generate, type GenerateFormat } from '../core/generate/index';
import type { MapInput } from '../core/ingest/coordinator';
import type { FormatId } from '../core/sources/format';
import type { ManifestEntry } from '../core/state/state';
import { blobChunks, textChunks } from './chunks';

/** One thing to read: a dropped file or a generated demo file. */
export interface Input {
  name: string;
  size: number | null;
  /** The dropped file, kept so the history can be read again under new settings. */
  file: File | null;
  demo: boolean;
  chunks(): AsyncIterable<Uint8Array>;
  /** A file of the generated dataset, made by a parse worker (src/core/ingest/coordinator.ts MapInput). */
  generated?: MapInput['generated'];
}

/** The forms the demo dataset can be loaded in: as the firewall logs it, or as a network sensor does. */
export type DemoForm = 'panos' | 'zeek' | 'zeek-json' | 'suricata';

const GENERATED: Record<DemoForm, GenerateFormat> = {
  panos: DEFAULT_GENERATE.format,
  zeek: 'zeek',
  'zeek-json': 'zeek-json',
  suricata: 'suricata',
};

export function fileInputs(files: readonly File[]): Input[] {
  return files.map((f) => ({ name: f.name, size: f.size, file: f, demo: false, chunks: () => blobChunks(f) }));
}

/**
 * The demo dataset in `form`, the firewall's (or sensor's) files and the
 * endpoint view of the same days, read as dropped files are: each file made
 * by the parse worker that reads it, so making the data runs on every core too.
 */
export function demoInputs(form: DemoForm = 'panos'): Input[] {
  const options = { ...DEFAULT_GENERATE, format: GENERATED[form] };
  return datasetFiles(generate(options)).map((f, index) => ({
    name: f.name,
    size: null,
    file: null,
    demo: true,
    chunks: () => textChunks(f.chunks()),
    generated: { options, index },
  }));
}

const FORM_OF: Partial<Record<FormatId, DemoForm>> = {
  'panos-syslog': 'panos',
  'panos-csv': 'panos',
  'zeek-tsv': 'zeek',
  'zeek-json': 'zeek-json',
  'suricata-eve': 'suricata',
};

/**
 * The form the history's demo files were loaded in, told by the format they
 * were read as (so it is remembered wherever the manifest is: the database,
 * a state file); null when the history holds no demo file.
 */
export function demoFormOf(files: readonly ManifestEntry[]): DemoForm | null {
  const demo = files.filter((f) => f.demo);
  if (demo.length === 0) return null;
  // The endpoint view's files are the same in every form: the firewall's or sensor's file tells.
  for (const f of demo) {
    const form = f.report.format === null ? undefined : FORM_OF[f.report.format];
    if (form !== undefined) return form;
  }
  return 'panos';
}
