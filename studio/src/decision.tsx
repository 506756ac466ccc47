import { useMemo, useRef } from "preact/hooks";
import { describeEvent } from "../../src/decide/explain.ts";
import type { Preview } from "./api.ts";

type Decision = NonNullable<Preview["decision"]>;
const SLOTS = [
  { slot: "hero", title: "Hero" },
  { slot: "secondary", title: "Secondary" },
  { slot: "notice", title: "Notices" },
] as const;

/** What the last edit changed, against the previous decision for the same customer: items now chosen, items dropped. */
function useChanged(decision: Decision): { added: Set<string>; dropped: string[] } {
  const previous = useRef<{ customer: string; chosen: Set<string> } | undefined>(undefined);
  return useMemo(() => {
    const chosen = new Set(decision.trace.filter((t) => t.chosen).map((t) => t.id));
    const before = previous.current;
    previous.current = { customer: decision.customerId, chosen };
    if (!before || before.customer !== decision.customerId) return { added: new Set<string>(), dropped: [] };
    return {
      added: new Set([...chosen].filter((id) => !before.chosen.has(id))),
      dropped: [...before.chosen].filter((id) => !chosen.has(id)),
    };
  }, [decision]);
}

/**
 * The decision: what each slot holds and, for every other catalogue item, the first rule that excluded it, with
 * the event of the customer's history that fired it.
 */
export function DecisionPanel({ decision }: { decision: Decision }) {
  const { added: changed, dropped } = useChanged(decision);
  const excluded = decision.trace.filter((t) => !t.chosen);
  return (
    <section class="decision" aria-labelledby="decision-title" id="decision">
      <div class="panel-head">
        <h2 id="decision-title">Decision</h2>
        <span class="muted">
          {decision.customerId} · run {decision.runDate} · language {decision.language} · {decision.trace.length} items
          considered
        </span>
        {dropped.length > 0 && (
          <span class="gone" id="decision-dropped">
            no longer chosen: {dropped.join(", ")}
          </span>
        )}
      </div>
      <div class="decision-body">
        <div class="slots">
          {SLOTS.map(({ slot, title }) => (
            <div class="slot" key={slot} data-slot={slot}>
              <h3>{title}</h3>
              {decision.slots[slot].length === 0 && <p class="muted">nothing chosen</p>}
              {decision.slots[slot].map((item) => (
                <article key={item.id} class={`item${changed.has(item.id) ? " changed" : ""}`} data-item={item.id}>
                  <div class="item-head">
                    <span class={`kind ${item.kind}`}>{item.kind}</span>
                    <code>{item.id}</code>
                    <span class="muted">p{item.priority}</span>
                    {changed.has(item.id) && <span class="badge new">new</span>}
                  </div>
                  <p class="headline">{item.copy.headline}</p>
                  <p class="meta">
                    {item.channels.join(" · ")}
                    {item.marketing ? " · marketing" : ""}
                    {item.experiment ? ` · ${item.experiment.id}: ${item.experiment.variant}` : ""}
                  </p>
                </article>
              ))}
            </div>
          ))}
        </div>
        <div class="excluded">
          <h3>Not chosen</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Slot</th>
                <th scope="col">Rule</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {excluded.map((t) => (
                <tr key={t.id} data-item={t.id}>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.slot}</td>
                  <td>
                    <span class={`rule rule-${t.rule}`}>{t.rule}</span>
                  </td>
                  <td>
                    {t.reason}
                    {t.event && <span class="event">event: {describeEvent(t.event)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
