import type { EngineSummary, Meta } from "./api.ts";
import type { Route } from "./app.tsx";

interface Props {
  meta: Meta;
  template: string;
  onTemplate: (id: string) => void;
  runDate: string;
  onRunDate: (date: string) => void;
  route: Route;
  onRoute: (r: Route) => void;
  live: boolean;
  engine?: EngineSummary;
  busy: boolean;
  refreshMs?: number;
  composeMs?: number;
  onHelp: () => void;
}

export function Toolbar(p: Props) {
  const engineOk = p.engine?.ok !== false;
  return (
    <header class="toolbar">
      <div class="brand">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="#0f172a" />
          <rect x="7" y="7" width="8" height="18" rx="2" fill="#38bdf8" />
          <rect x="17" y="7" width="8" height="8" rx="2" fill="#a78bfa" />
          <rect x="17" y="17" width="8" height="8" rx="2" fill="#34d399" />
        </svg>
        <span>
          omnidoc <b>studio</b>
        </span>
      </div>
      <label class="field">
        <span>Template</span>
        <select id="template" value={p.template} onChange={(e) => p.onTemplate(e.currentTarget.value)}>
          {p.meta.templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} · v{t.version}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Run date</span>
        <input
          id="run-date"
          type="date"
          value={p.runDate}
          required
          onInput={(e) => e.currentTarget.value && p.onRunDate(e.currentTarget.value)}
        />
      </label>
      <nav class="tabs" aria-label="View">
        <button
          type="button"
          aria-current={p.route === "preview" ? "page" : undefined}
          onClick={() => p.onRoute("preview")}
        >
          Preview
        </button>
        <button
          type="button"
          aria-current={p.route === "proof" ? "page" : undefined}
          onClick={() => p.onRoute("proof")}
        >
          Proof sheet
        </button>
        <button
          type="button"
          id="tab-offers"
          aria-current={p.route === "offers" ? "page" : undefined}
          onClick={() => p.onRoute("offers")}
        >
          Offers
        </button>
        <button
          type="button"
          id="tab-releases"
          aria-current={p.route === "releases" ? "page" : undefined}
          onClick={() => p.onRoute("releases")}
        >
          Releases
        </button>
      </nav>
      <div class="status" role="status" aria-live="polite">
        <span
          class={`pill ${p.live ? (engineOk ? "ok" : "bad") : "off"}`}
          title={p.live ? "Watching the template files" : "Not connected"}
        >
          <i aria-hidden="true" />
          {p.live ? (engineOk ? "Live" : "Template error") : "Offline"}
        </span>
        {p.engine && (
          <span class="muted">
            engine v{p.engine.version} · built in {p.engine.buildMs} ms
          </span>
        )}
        {p.refreshMs !== undefined && (
          <span class="muted" id="refresh-time" title="From request to every page image on screen">
            {p.busy ? "refreshing…" : `preview ${p.refreshMs} ms`}
            {p.composeMs !== undefined && !p.busy ? ` (compose ${p.composeMs} ms)` : ""}
          </span>
        )}
      </div>
      <button
        type="button"
        class="icon"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={p.onHelp}
      >
        ?
      </button>
    </header>
  );
}
