/**
 * Files from a drop, folders included where the browser exposes them
 * (webkitGetAsEntry: Chromium, Firefox, Safari). Only File handles are
 * collected; nothing is read here.
 */

/** Hidden files in a dropped folder (.DS_Store, ._resource forks) are not logs. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    if (!isHidden(entry.name)) out.push(await fileOf(entry as FileSystemFileEntry));
    return;
  }
  if (!entry.isDirectory || isHidden(entry.name)) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries a call; an empty batch means done.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

export async function droppedFiles(data: DataTransfer): Promise<File[]> {
  // Entries must be taken while the drop event runs; the list is emptied after it.
  const entries: FileSystemEntry[] = [];
  const plain: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry !== null) {
      entries.push(entry);
    } else {
      const file = item.getAsFile();
      if (file !== null) plain.push(file);
    }
  }
  if (entries.length === 0 && plain.length === 0) return Array.from(data.files);
  const out: File[] = [...plain];
  for (const entry of entries) await walk(entry, out);
  return out;
}

/** Sorted by path, so a folder's files are read in a stable order (and the summary lists them so). */
export function byPath(files: readonly File[]): File[] {
  const path = (f: File): string => f.webkitRelativePath || f.name;
  return [...files].sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0));
}

export function folderPickerSupported(): boolean {
  return 'webkitdirectory' in HTMLInputElement.prototype;
}
