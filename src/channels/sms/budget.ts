import { type SegmentCount, countSegments } from "./segment.ts";

/** One part of a text as the template rendered it, already normalised. */
export interface SmsPart {
  name: string;
  text: string;
  /** Position in the drop order (1 goes first); absent for a required part. */
  drop?: number;
  /** Carries marketing content, so the text needs an opt-out. */
  marketing: boolean;
  /** Ids of the items whose copy or link it says. */
  items?: string[];
}

export interface FittedSms {
  text: string;
  count: SegmentCount;
  kept: string[];
  dropped: string[];
  /** Ids of the items the kept parts say. */
  items: Set<string>;
  /** False when even the required parts alone are over budget. */
  fits: boolean;
}

function assemble(parts: SmsPart[], optOut: string): string {
  const text = parts.map((p) => p.text).join(" ");
  return parts.some((p) => p.marketing) ? `${text} ${optOut}` : text;
}

/**
 * Meets the segment budget by dropping whole optional parts in their declared order (later parts first on a
 * tie), never by cutting inside one, so no word, link or amount is ever shortened. Once the text fits, each
 * dropped part is tried again, most important first, and kept if the text still fits: dropping a name that
 * forced UCS-2 can leave room for content dropped before it. The opt-out goes with the marketing parts.
 */
export function fitToBudget(parts: SmsPart[], budget: number, optOut: string): FittedSms {
  const dropOrder = parts
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.drop !== undefined)
    .sort((a, b) => a.p.drop! - b.p.drop! || b.i - a.i)
    .map(({ p }) => p);
  const kept = new Set(parts);
  const measure = () => {
    const text = assemble(
      parts.filter((p) => kept.has(p)),
      optOut,
    );
    return { text, count: countSegments(text) };
  };
  let current = measure();
  const dropped: SmsPart[] = [];
  for (const part of dropOrder) {
    if (current.count.segments <= budget) break;
    kept.delete(part);
    dropped.push(part);
    current = measure();
  }
  if (current.count.segments > budget) return result(parts, kept, current, false);
  for (const part of [...dropped].reverse()) {
    kept.add(part);
    const trial = measure();
    if (trial.count.segments <= budget) current = trial;
    else kept.delete(part);
  }
  return result(parts, kept, current, true);
}

function result(
  parts: SmsPart[],
  kept: Set<SmsPart>,
  current: { text: string; count: SegmentCount },
  fits: boolean,
): FittedSms {
  return {
    ...current,
    kept: parts.filter((p) => kept.has(p)).map((p) => p.name),
    items: new Set(parts.filter((p) => kept.has(p)).flatMap((p) => p.items ?? [])),
    dropped: parts.filter((p) => !kept.has(p)).map((p) => p.name),
    fits,
  };
}
