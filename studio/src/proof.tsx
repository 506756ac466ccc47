import { useEffect, useRef, useState } from "preact/hooks";
import { type ProofCard, api } from "./api.ts";

interface Props {
  template: string;
  runDate: string;
  sampleCount: number;
  engineVersion: number;
  onOpen: (id: string) => void;
}

type Entry = { id: string; label: string };

/**
 * Every sample customer's first page and SMS on one page, to review a change at a glance. Cards compose as they
 * scroll into view, two at a time, so even all samples stay responsive.
 */
export function ProofSheet({ template, runDate, sampleCount, engineVersion, onOpen }: Props) {
  const [set, setSet] = useState<"curated" | "all">("curated");
  const [entries, setEntries] = useState<Entry[]>([]);
  useEffect(() => {
    void api.proofList(template, runDate, set).then((r) => setEntries(r.customers));
  }, [template, runDate, set]);
  const queue = useQueue(2);
  return (
    <main class="proof" id="channels" tabIndex={-1}>
      <div class="proof-bar">
        <h1>Proof sheet</h1>
        <span class="muted">
          {template} · run {runDate} · {entries.length} customers · first page and SMS of each
        </span>
        <fieldset class="segmented">
          <legend class="sr-only">Customers</legend>
          <button type="button" aria-pressed={set === "curated"} onClick={() => setSet("curated")}>
            Curated cases
          </button>
          <button type="button" aria-pressed={set === "all"} onClick={() => setSet("all")}>
            All {sampleCount} samples
          </button>
        </fieldset>
        <a class="button primary" id="proof-download" href={api.proofPdfUrl(template, runDate, set)} download>
          Download proof PDF
        </a>
      </div>
      <ol class="proof-grid">
        {entries.map((e) => (
          <Card
            key={`${e.id}|${engineVersion}|${template}|${runDate}`}
            entry={e}
            load={() => queue(() => api.proofCard(template, runDate, e.id))}
            onOpen={onOpen}
          />
        ))}
      </ol>
    </main>
  );
}

function Card({ entry, load, onOpen }: { entry: Entry; load: () => Promise<ProofCard>; onOpen: (id: string) => void }) {
  const [card, setCard] = useState<ProofCard>();
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const seen = new IntersectionObserver(([e]) => {
      if (!e.isIntersecting) return;
      seen.disconnect();
      void load().then(setCard);
    });
    if (ref.current) seen.observe(ref.current);
    return () => seen.disconnect();
  }, []);
  // A customer the template is not for has no page to show: the card says so, with the rule.
  const outside = card?.problems.find((p) => p.code === "OMD_AUDIENCE_OUTSIDE");
  return (
    <li ref={ref} class="proof-card" data-customer={entry.id}>
      <button
        type="button"
        class="proof-open"
        onClick={() => onOpen(entry.id)}
        aria-label={`Open ${entry.id} (${entry.label}) in the preview`}
      >
        <span class="label">{entry.label}</span>
        <code>{entry.id}</code>
      </button>
      <div class="thumb">
        {card?.pageUrl ? (
          <img src={card.pageUrl} alt={`First page for ${entry.id}`} width={496} height={702} loading="lazy" />
        ) : outside ? (
          <p class="thumb-outside">Outside the audience: {outside.message}</p>
        ) : (
          <div class="thumb-wait" />
        )}
      </div>
      {card?.hero && <p class="hero">★ {card.hero}</p>}
      {card?.sms ? (
        <div class="proof-sms">
          <p class="bubble">{card.sms.text}</p>
          <p class="muted">
            {card.sms.encoding} · {card.sms.segments} segment{card.sms.segments === 1 ? "" : "s"}
          </p>
        </div>
      ) : (
        card && !outside && <p class="muted">No SMS{card.problems[0] ? `: ${card.problems[0].message}` : ""}</p>
      )}
    </li>
  );
}

/** Runs at most `limit` loads at once: the server has few cores and the person scrolls faster than it composes. */
function useQueue(limit: number) {
  const state = useRef({ running: 0, waiting: [] as (() => void)[] });
  return <T,>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const s = state.current;
      const start = () => {
        s.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            s.running--;
            s.waiting.shift()?.();
          });
      };
      if (s.running < limit) start();
      else s.waiting.push(start);
    });
}
