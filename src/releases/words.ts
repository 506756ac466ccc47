import { diffWords } from "diff";
import type { WordDiff } from "./types.ts";

/**
 * The words of the base text against the new one: runs kept, removed and added, in reading order. Whitespace
 * is not a word, so a line wrapped differently is no change.
 */
export function wordDiff(base: string, next: string): WordDiff {
  return diffWords(base, next).map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value,
  }));
}

export const wordsChanged = (diff: WordDiff): boolean => diff.some((run) => run.kind !== "same");
