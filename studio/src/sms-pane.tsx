import { Pane } from "./pane.tsx";
import type { Shown } from "./use-preview.ts";

/** Links in the text, shown as a phone would underline them. */
function withLinks(text: string) {
  return text.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1 ? <u key={i}>{part}</u> : part));
}

/** The SMS as a phone shows it, with what the operator charges for: encoding and segments. */
export function SmsPane({ preview }: { preview: Shown }) {
  const sms = preview.sms;
  const absent = preview.problems.filter((p) => p.code.startsWith("OMD_SMS_"));
  const perSegment = sms ? (sms.encoding === "GSM-7" ? (sms.segments > 1 ? 153 : 160) : sms.segments > 1 ? 67 : 70) : 0;
  return (
    <Pane
      id="sms"
      title="SMS"
      stale={preview.stale.includes("sms")}
      absent={sms ? undefined : absent}
      info={
        sms && (
          <span>
            <b class={`enc ${sms.encoding === "GSM-7" ? "gsm" : "ucs"}`}>{sms.encoding}</b> · {sms.segments} segment
            {sms.segments === 1 ? "" : "s"}
          </span>
        )
      }
    >
      {sms && (
        <>
          <div class="phone">
            <div class="phone-notch" aria-hidden="true" />
            <div class="phone-top">
              <span class="avatar" aria-hidden="true">
                ✉
              </span>
              <span class="sender">Text message</span>
              <span class="muted">{sms.to ?? ""}</span>
            </div>
            <div class="thread">
              <p class="bubble" id="sms-text">
                {withLinks(sms.text)}
              </p>
              <p class="delivered">Today</p>
            </div>
          </div>
          <dl class="sms-facts">
            <dt>Encoding</dt>
            <dd>{sms.encoding}</dd>
            <dt>Segments</dt>
            <dd id="sms-segments">{sms.segments}</dd>
            <dt>Characters</dt>
            <dd>
              {sms.characters} ({perSegment} per segment)
            </dd>
            <dt>Parts</dt>
            <dd class="parts">
              {sms.parts.map((p) => (
                <span key={p} class="chip">
                  {p}
                </span>
              ))}
            </dd>
          </dl>
        </>
      )}
    </Pane>
  );
}
