import { useState } from "preact/hooks";
import { Pane } from "./pane.tsx";
import type { Shown } from "./use-preview.ts";

const MODES = [
  { mode: "desktop", label: "Desktop 600" },
  { mode: "mobile", label: "Mobile 375" },
  { mode: "both", label: "Both" },
  { mode: "text", label: "Text" },
] as const;
type Mode = (typeof MODES)[number]["mode"];

/**
 * The email in iframes sized as mail clients show it. Customer HTML is untrusted: the frames are sandboxed with
 * no permission at all (no script, no same-origin, no forms) and the server sends it with its own strict policy.
 */
export function EmailPane({ preview }: { preview: Shown }) {
  const [mode, setMode] = useState<Mode>("desktop");
  const email = preview.email;
  const absent = preview.problems.filter((p) => p.code.startsWith("OMD_EMAIL_"));
  const frame = (width: number, label: string) => (
    <div class="device" style={{ width: `${width + 2}px` }}>
      <div class="device-label">{label}</div>
      <iframe sandbox="" src={email!.htmlUrl} title={`Email at ${label}`} width={width} class="email-frame" />
    </div>
  );
  return (
    <Pane
      id="email"
      title="Email"
      stale={preview.stale.includes("email")}
      absent={email ? undefined : absent}
      info={email && <span>{email.marketing ? "marketing" : "service"}</span>}
      actions={
        <fieldset class="segmented">
          <legend class="sr-only">Email width</legend>
          {MODES.map((m) => (
            <button key={m.mode} type="button" aria-pressed={mode === m.mode} onClick={() => setMode(m.mode)}>
              {m.label}
            </button>
          ))}
        </fieldset>
      }
    >
      {email && (
        <>
          <dl class="envelope">
            <dt>To</dt>
            <dd>{email.to ?? "—"}</dd>
            <dt>Subject</dt>
            <dd class="subject">{email.subject}</dd>
            <dt>Preheader</dt>
            <dd class="muted">{email.preheader}</dd>
          </dl>
          {mode === "text" ? (
            <pre class="email-text">{email.text}</pre>
          ) : (
            <div class="devices">
              {(mode === "desktop" || mode === "both") && frame(600, "desktop 600 px")}
              {(mode === "mobile" || mode === "both") && frame(375, "mobile 375 px")}
            </div>
          )}
        </>
      )}
    </Pane>
  );
}
