/**
 * The files of a drop, folders opened: dropping the converter's output folder gives one entry for the
 * folder, whose files only the entries API lists (`DataTransfer.files` holds the folder itself).
 */

function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return new Promise((resolve, reject) => (entry as FileSystemFileEntry).file((f) => resolve([f]), reject));
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches until an empty one.
  return new Promise<FileSystemEntry[]>((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  }).then(async (entries) => (await Promise.all(entries.map(filesOf))).flat());
}

/** Every file dropped, those inside dropped folders included. */
export async function droppedFiles(transfer: DataTransfer | null): Promise<File[]> {
  if (transfer == null) return [];
  const entries = Array.from(transfer.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => e != null);
  if (entries.length === 0 || entries.every((e) => e.isFile)) return Array.from(transfer.files);
  return (await Promise.all(entries.map(filesOf))).flat();
}
