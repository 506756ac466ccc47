import type { EngineSummary, Preview, Problem } from "./api.ts";
import { CUSTOMER_CODES } from "./use-preview.ts";

export function ProblemList({ problems }: { problems: Problem[] }) {
  return (
    <ul class="problems">
      {problems.map((p, i) => (
        <li key={i}>
          <code class="code">{p.code}</code>
          {p.at && <code class="at">{p.at}</code>}
          <span class="message">{p.message}</span>
          {p.hint && <span class="hint">{p.hint}</span>}
        </li>
      ))}
    </ul>
  );
}

interface Props {
  engine?: EngineSummary;
  latest?: Preview;
  failure?: string;
}

/**
 * Template errors, loud and on top: a build that failed (the preview below is the last good one) or a template
 * that failed while merging this customer. Customer facts (no mobile) are said in their own pane instead.
 */
export function ProblemBanner({ engine, latest, failure }: Props) {
  const build = engine && !engine.ok ? engine.problems : [];
  const render = (latest?.problems ?? []).filter((p) => !CUSTOMER_CODES.has(p.code));
  if (build.length === 0 && render.length === 0 && !failure) return null;
  return (
    <div class="banner" role="alert" id="template-error">
      <div class="banner-title">
        <strong>
          {build.length ? "Template error" : failure && !render.length ? "Preview failed" : "Render error"}
        </strong>
        <span>
          {build.length
            ? "The templates on disk do not build. Showing the last good preview."
            : (failure ?? "A channel failed for this customer. Showing its last good output.")}
        </span>
      </div>
      <ProblemList problems={[...build, ...render]} />
    </div>
  );
}

/** Not an error: the template is not for this customer, so there is nothing to preview; says which rule. */
export function OutsideAudience({ problem }: { problem: Problem }) {
  return (
    <div class="empty outside" role="status" id="outside-audience">
      <strong>Outside the audience: no document for this customer.</strong>
      <p>{problem.message}</p>
      {problem.at && <code class="at">{problem.at}</code>}
    </div>
  );
}
