import { useRef } from "preact/hooks";
import type { Meta } from "./api.ts";

interface Props {
  samples: Meta["samples"];
  selected?: string;
  onPick: (id: string) => void;
}

/**
 * The curated sample customers. One button per customer with a roving focus: Tab enters the list at the
 * selected one, arrows (and Home, End) move and select, as in any list a person knows.
 */
export function CustomerList({ samples, selected, onPick }: Props) {
  const list = useRef<HTMLUListElement>(null);
  const index = samples.findIndex((s) => s.id === selected);
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: samples.length - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = samples[Math.min(samples.length - 1, Math.max(0, moves[e.key]))];
    if (!next) return;
    onPick(next.id);
    list.current?.querySelector<HTMLButtonElement>(`[data-id="${next.id}"]`)?.focus();
  };
  return (
    <section class="panel customers" aria-labelledby="customers-title">
      <h2 id="customers-title">Sample customers</h2>
      <ul id="customer-list" ref={list}>
        {samples.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              id={`customer-${s.id}`}
              data-id={s.id}
              aria-current={s.id === selected ? "true" : undefined}
              tabIndex={s.id === selected || (index < 0 && s === samples[0]) ? 0 : -1}
              onClick={() => onPick(s.id)}
              onKeyDown={onKey}
            >
              <span class="label">{s.label}</span>
              <span class="id">{s.id}</span>
              <span class="summary">{s.summary}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
