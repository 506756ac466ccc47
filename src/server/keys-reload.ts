import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Result } from "../core/index.ts";
import type { ApiKey, KeyRing } from "./keys.ts";

export interface KeysReloadOptions {
  /** The keys file to watch: its folder is watched, since editors and deploy tools replace a file by renaming. */
  watch?: string;
  /** Told of every reload: the keys now in force, or the problems that kept the previous ones in force. */
  onReload: (result: Result<ApiKey[]>) => void;
  /** How long a burst of changes (write, then rename) settles before one reload (default 100 ms). */
  debounceMs?: number;
}

export interface KeysReload {
  close(): void;
}

/**
 * Reloads the API keys when their file changes and on SIGHUP, so that a key taken out of the file is refused
 * without a restart. A file that no longer reads (half written, bad JSON) leaves the keys in force as they were,
 * and `onReload` hears why.
 */
export function reloadKeysOnChange(
  ring: KeyRing,
  load: () => Result<ApiKey[]>,
  options: KeysReloadOptions,
): KeysReload {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    timer = undefined;
    const r = load();
    if (r.ok) ring.replace(r.value);
    options.onReload(r);
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 100);
  };
  let watcher: FSWatcher | undefined;
  if (options.watch !== undefined) {
    const file = resolve(options.watch);
    watcher = watch(dirname(file), (_event, name) => {
      if (name === basename(file)) soon();
    });
  }
  process.on("SIGHUP", soon);
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
      process.off("SIGHUP", soon);
    },
  };
}
