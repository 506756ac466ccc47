import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Watches template folders (recursively) and single files, and calls `onChange` once per burst of events:
 * editors save with several writes and renames, and one rebuild per save is what a person expects.
 * Single files are watched through their folder, since an editor that saves by rename replaces the inode.
 */
export function watchSources(
  sources: { folders: string[]; files: string[] },
  onChange: (changed: string[]) => void,
  settleMs = 40,
): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const touched = (path: string) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending.clear();
      onChange(changed);
    }, settleMs);
  };
  const watchers: FSWatcher[] = [];
  for (const folder of sources.folders) {
    watchers.push(watch(folder, { recursive: true }, (_event, name) => touched(`${folder}/${name ?? ""}`)));
  }
  const byFolder = new Map<string, Set<string>>();
  for (const file of sources.files) {
    const names = byFolder.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byFolder.set(dirname(file), names);
  }
  for (const [folder, names] of byFolder) {
    watchers.push(
      watch(folder, (_event, name) => {
        if (name && names.has(name)) touched(`${folder}/${name}`);
      }),
    );
  }
  for (const w of watchers) w.on("error", () => undefined);
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
