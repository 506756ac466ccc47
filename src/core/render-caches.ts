/**
 * What a thread keeps between documents so that they come faster, never so that they print differently:
 * parsed fonts with their shaped words and painted runs, the chart's text masks and buffers. One object a
 * thread, made by the caller and handed to `buildEngine`; two engines share these only when handed the same
 * object. Each part is declared and typed by the module that owns it, so core names none of them.
 */

/** One owner's part of the caches: how to make it empty. */
export interface CachePart<T> {
  /** What the part holds, for a person reading a heap snapshot. */
  readonly name: string;
  create(): T;
}

export function cachePart<T>(name: string, create: () => T): CachePart<T> {
  return Object.freeze({ name, create });
}

export interface RenderCaches {
  /** This object's instance of `part`, made empty on first use. */
  get<T>(part: CachePart<T>): T;
}

export function createRenderCaches(): RenderCaches {
  const parts = new Map<CachePart<unknown>, unknown>();
  return Object.freeze({
    get<T>(part: CachePart<T>): T {
      if (!parts.has(part)) parts.set(part, part.create());
      return parts.get(part) as T;
    },
  });
}
