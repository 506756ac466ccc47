import { useEffect, useRef, useState } from "preact/hooks";
import { type OfferFields, type Preview, type Problem, api, preloadImages } from "./api.ts";

type ChannelName = "pdf" | "email" | "sms";

/** What the page shows: the last preview that composed, with channels kept from an earlier one marked stale. */
export interface Shown extends Preview {
  /** Channels whose output is from an earlier preview because the latest one failed to render them. */
  stale: ChannelName[];
  /** Which customer and template it shows: stale output is kept only for the same one. */
  subject: string;
}

/** Problems that say something about the customer, not the template: the channel simply does not apply. */
export const CUSTOMER_CODES = new Set(["OMD_SMS_NO_MOBILE", "OMD_EMAIL_NO_ADDRESS", "OMD_SMS_OVER_BUDGET"]);

export interface PreviewState {
  shown?: Shown;
  /** The latest answer (it may carry only problems). */
  latest?: Preview;
  busy: boolean;
  /** Time from the request to every page image decoded, as the person waits for it. */
  refreshMs?: number;
  failure?: string;
}

/** An unsaved edit of a catalogue item, previewed in place of the catalogue on disk. */
export interface OfferDraft {
  id: string;
  fields: OfferFields;
}

/**
 * Asks for a new preview whenever the template, run date, profile, engine or offer draft changes (debounced
 * while typing), drops answers that a newer request overtook, and swaps the preview only when its images are
 * loaded.
 */
export function usePreview(
  template: string,
  runDate: string,
  profileText: string,
  engineVersion: number,
  subject: string,
  offer?: OfferDraft,
): PreviewState {
  const [state, setState] = useState<PreviewState>({ busy: false });
  const seq = useRef(0);
  useEffect(() => {
    if (!template || !runDate || !profileText) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, busy: true }));
      const started = performance.now();
      try {
        const p = offer
          ? await api.previewOffer(offer.id, offer.fields, template, runDate, profileText)
          : await api.preview(template, runDate, profileText);
        if (p.pdf) await preloadImages(p.pdf.pageUrls);
        if (n !== seq.current) return;
        setState((s) => ({
          // A customer outside the audience has no document to show, not even an earlier one.
          shown: p.decision ? keepLastGood(s.shown, p, subject) : p.outside ? undefined : s.shown,
          latest: p,
          busy: false,
          refreshMs: p.decision ? Math.round(performance.now() - started) : s.refreshMs,
        }));
      } catch (err) {
        if (n === seq.current) setState((s) => ({ ...s, busy: false, failure: (err as Error).message }));
      }
    }, 90);
    return () => clearTimeout(timer);
  }, [template, runDate, profileText, engineVersion, offer && JSON.stringify(offer)]);
  return state;
}

/** A channel that failed on a template error keeps its last good output, for the same customer and template. */
function keepLastGood(previous: Shown | undefined, next: Preview, subject: string): Shown {
  const shown: Shown = { ...next, subject, stale: [] };
  if (!previous || previous.subject !== subject) return shown;
  if (next.problems.every((p: Problem) => CUSTOMER_CODES.has(p.code))) return shown;
  for (const c of ["pdf", "email", "sms"] as const) {
    if (!next[c] && previous[c]) {
      (shown as unknown as Record<ChannelName, unknown>)[c] = previous[c];
      shown.stale.push(c);
    }
  }
  return shown;
}
