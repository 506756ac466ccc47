import type { ComponentChildren } from "preact";
import type { Problem } from "./api.ts";
import { ProblemList } from "./problems.tsx";

interface Props {
  id: string;
  title: string;
  info?: ComponentChildren;
  actions?: ComponentChildren;
  stale?: boolean;
  /** Why the channel has nothing for this customer (no mobile, no email address). */
  absent?: Problem[];
  children?: ComponentChildren;
}

/** One channel's column: a header with facts and actions, then what the customer would get. */
export function Pane({ id, title, info, actions, stale, absent, children }: Props) {
  return (
    <section class={`pane pane-${id}${stale ? " stale" : ""}`} id={`pane-${id}`} aria-labelledby={`pane-${id}-title`}>
      <header class="pane-head">
        <h2 id={`pane-${id}-title`}>{title}</h2>
        <div class="pane-info">{info}</div>
        <div class="pane-actions">{actions}</div>
      </header>
      {stale && <p class="stale-note">Last good output: this channel failed to render. See the error above.</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region takes focus, so a keyboard scrolls it */}
      <section class="pane-body" tabIndex={0} aria-label={`${title}: what the customer gets`}>
        {absent && absent.length > 0 ? (
          <div class="absent">
            <p>Not sent to this customer</p>
            <ProblemList problems={absent} />
          </div>
        ) : (
          children
        )}
      </section>
    </section>
  );
}
