import { useRef } from "preact/hooks";
import type { Meta } from "./api.ts";

interface Props {
  samples: Meta["samples"];
  selected?: string;
  onPick: (id: string) => void;
}

/** The curated sample customers as a listbox: arrows move and select, as in any list a person knows. */
export function CustomerList({ samples, selected, onPick }: Props) {
  const list = useRef<HTMLUListElement>(null);
  const index = samples.findIndex((s) => s.id === selected);
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: samples.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = samples[Math.min(samples.length - 1, Math.max(0, moves[e.key]))];
    if (next) {
      onPick(next.id);
      list.current?.querySelector(`[data-id="${next.id}"]`)?.scrollIntoView({ block: "nearest" });
    }
  };
  return (
    <section class="panel customers">
      <h2 id="customers-title">Sample customers</h2>
      <ul
        id="customer-list"
        ref={list}
        role="listbox"
        tabIndex={0}
        aria-labelledby="customers-title"
        aria-activedescendant={selected ? `customer-${selected}` : undefined}
        onKeyDown={onKey}
      >
        {samples.map((s) => (
          <li
            key={s.id}
            id={`customer-${s.id}`}
            data-id={s.id}
            role="option"
            aria-selected={s.id === selected}
            onClick={() => onPick(s.id)}
          >
            <span class="label">{s.label}</span>
            <span class="id">{s.id}</span>
            <span class="summary">{s.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
