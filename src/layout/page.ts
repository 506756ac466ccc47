import { type Problem, problem } from "../core/index.ts";
import type { Block, Flowable, LayoutEnv, PageInfo, Split } from "./flowable.ts";
import type { Painter, Rect } from "./painter.ts";
import { Stack } from "./stack.ts";

/** An absolutely placed box of a page template: the brand header, the envelope address window, a footer. */
export interface FrameSpec {
  name: string;
  rect: Rect;
  content: Block;
  /** Running headers and footers are decoration for screen readers, not content. */
  artifact?: boolean;
  /** Where the frame was declared, for problems. */
  at?: string;
}

/** A kind of page: its size, fixed frames and the one region the flow content runs through. */
export interface PageTemplate {
  name: string;
  width: number;
  height: number;
  frames: readonly FrameSpec[];
  flow: Rect;
}

export interface LaidOutFrame {
  spec: FrameSpec;
  content: Flowable;
}

/** One page after pagination: what goes in its frames and in its flow region. */
export interface LaidOutPage {
  template: PageTemplate;
  frames: readonly LaidOutFrame[];
  flow: Flowable | null;
}

export interface LaidOutDocument {
  pages: readonly LaidOutPage[];
  problems: readonly Problem[];
}

function layoutFrames(t: PageTemplate, env: LayoutEnv, problems: Problem[]): LaidOutFrame[] {
  return t.frames.map((spec) => {
    const content = spec.content.layout(spec.rect.width, env);
    if (content.height > spec.rect.height + 0.01) {
      problems.push(
        problem(
          "OMD_PDF_FRAME_OVERFLOW",
          `frame "${spec.name}" of page template "${t.name}" needs ${content.height.toFixed(1)} pt but is ${spec.rect.height.toFixed(1)} pt tall`,
          spec.at,
          "shorten the content or enlarge the frame; it is printed in full, past the frame's edge",
        ),
      );
    }
    return { spec, content };
  });
}

/**
 * Lays the body out through the flow regions of as many pages as it needs: the first page from `first`,
 * every further page from `rest`. Flow regions share one width (the body is laid out once at that width).
 */
export function composePages(body: Block, first: PageTemplate, rest: PageTemplate, env: LayoutEnv): LaidOutDocument {
  const problems: Problem[] = [];
  const frames = new Map<PageTemplate, LaidOutFrame[]>();
  const framesOf = (t: PageTemplate) => {
    const known = frames.get(t);
    if (known) return known;
    const f = layoutFrames(t, env, problems);
    frames.set(t, f);
    return f;
  };
  const pages: LaidOutPage[] = [];
  let remaining: Flowable | null = body.layout(first.flow.width, env);
  let guard = 0;
  while (remaining !== null) {
    const template = pages.length === 0 ? first : rest;
    const room = template.flow.height;
    let flow: Flowable;
    if (remaining.height <= room && !hasBreak(remaining)) {
      flow = remaining;
      remaining = null;
    } else {
      const s: Split = remaining.split(room, true) ?? { head: remaining, tail: null };
      flow = s.head;
      remaining = s.tail;
    }
    if (flow.height > room + 0.01) {
      problems.push(
        problem(
          "OMD_PDF_BLOCK_TOO_TALL",
          `a block on page ${pages.length + 1} is ${flow.height.toFixed(1)} pt tall, taller than the ${room.toFixed(1)} pt flow region, and cannot be divided`,
          undefined,
          "make the image or chart smaller, or let the block split",
        ),
      );
    }
    pages.push({ template, frames: framesOf(template), flow });
    if (++guard > 10_000) throw new Error("pagination made no progress");
  }
  return { pages, problems };
}

const hasBreak = (f: Flowable): boolean => f instanceof Stack && f.items.some((i) => i.pageBreak);

/** Paints every page once the page count is known (`Page X of Y`): frames first, then the flow. */
export function paintDocument(
  doc: LaidOutDocument,
  painter: Painter,
  newPage: (t: PageTemplate, page: PageInfo) => void,
): void {
  const count = doc.pages.length;
  doc.pages.forEach((p, i) => {
    const info: PageInfo = { number: i + 1, count };
    newPage(p.template, info);
    for (const f of p.frames) {
      const paint = () => f.content.paint(painter, f.spec.rect.x, f.spec.rect.y, info);
      if (f.spec.artifact) painter.artifact(paint);
      else paint();
    }
    p.flow?.paint(painter, p.template.flow.x, p.template.flow.y, info);
  });
}
