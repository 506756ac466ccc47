import { useEffect, useRef, useState } from "preact/hooks";
import {
  type DecisionImpact,
  type Meta,
  type OfferCheck,
  type OfferFields,
  type OfferForm,
  type OfferProblem,
  type OfferSaved,
  api,
} from "./api.ts";
import { EmailPane } from "./email-pane.tsx";
import { PdfPane } from "./pdf-pane.tsx";
import { OutsideAudience, ProblemBanner } from "./problems.tsx";
import { SmsPane } from "./sms-pane.tsx";
import { usePreview } from "./use-preview.ts";

interface Props {
  meta: Meta;
  template: string;
  runDate: string;
  engineVersion: number;
  customer?: string;
  onCustomer: (id: string) => void;
  profileText: string;
}

type Item = { id: string; kind: string; slot: string; headline: string };

const CHANNELS = ["print", "email", "sms"] as const;
const LANGUAGE_NAMES: Record<string, string> = { en: "English", fr: "French", de: "German" };
/** How long typing may pause before the edit is checked and previewed. */
const CHECK_DELAY_MS = 250;

/** The form's id of a field path: `copy.en.cta.label` is `offer-copy-en-cta-label`. */
const fieldId = (path: string) => `offer-${path.replace(/\./g, "-")}`;

/**
 * Marketers change an offer here, without code: an item's copy per language, validity dates, priority,
 * channels and eligibility. Each change is checked by the catalogue loader as they type (the problem shown
 * under the field, at the character), previewed with a sample customer, and its impact on the sample
 * customers' decisions shown; saving writes the catalogue file and makes a draft release.
 */
export function OffersView(p: Props) {
  const [items, setItems] = useState<Item[]>([]);
  const [file, setFile] = useState("");
  const [selected, setSelected] = useState<string>();
  const [loaded, setLoaded] = useState<OfferForm>();
  const [fields, setFields] = useState<OfferFields>();
  const [check, setCheck] = useState<OfferCheck>();
  const [saved, setSaved] = useState<{ ok: boolean; message: string }>();
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);

  const open = async (id: string) => {
    const form = await api.offer(id);
    setSelected(id);
    setLoaded(form);
    setFields({ values: form.values, channels: form.channels });
    setCheck(undefined);
    setSaved(undefined);
  };

  useEffect(() => {
    void api.offers().then((list) => {
      setItems(list.items);
      setFile(list.file);
      if (list.items[0]) void open(list.items[0].id);
    });
  }, []);

  // Checked (and its impact counted) a moment after typing stops; an answer a newer edit overtook is dropped.
  useEffect(() => {
    if (!selected || !fields) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      const answer = await api.checkOffer(selected, fields, p.template, p.runDate).catch((err: Error) => ({
        problems: [{ code: "OMD_API_BODY_INVALID", message: err.message } as OfferProblem],
        changedLines: 0,
      }));
      if (n === seq.current) setCheck(answer);
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [selected, fields, p.template, p.runDate, p.engineVersion]);

  const draft = selected && fields ? { id: selected, fields } : undefined;
  const state = usePreview(p.template, p.runDate, p.profileText, p.engineVersion, `${p.template}|${p.customer}`, draft);
  const edited =
    !!loaded &&
    !!fields &&
    JSON.stringify(fields) !== JSON.stringify({ values: loaded.values, channels: loaded.channels });
  const problems = check?.problems ?? [];

  const set = (path: string, value: string) =>
    fields && setFields({ ...fields, values: { ...fields.values, [path]: value } });
  const toggle = (channel: string, on: boolean) =>
    fields &&
    setFields({
      ...fields,
      channels: CHANNELS.filter((c) => (c === channel ? on : fields.channels.includes(c))),
    });

  const save = async () => {
    if (!selected || !fields) return;
    setSaving(true);
    try {
      const r: OfferSaved = await api.saveOffer(selected, fields, p.template, p.runDate);
      setSaved({ ok: true, message: savedMessage(r) });
      await open(selected);
      setSaved({ ok: true, message: savedMessage(r) });
    } catch (err) {
      setSaved({ ok: false, message: (err as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const { shown, latest } = state;
  return (
    <div class="offers">
      <nav class="panel offer-list" aria-labelledby="offer-list-title">
        <h2 id="offer-list-title">Catalogue</h2>
        <p class="muted file">{file}</p>
        <ul>
          {items.map((i) => (
            <li key={i.id}>
              <button
                type="button"
                id={`offer-item-${i.id}`}
                aria-current={i.id === selected ? "true" : undefined}
                onClick={() => void open(i.id)}
              >
                <span class="offer-name">{i.id}</span>
                <span class="offer-kind">
                  {i.kind} · {i.slot}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {loaded && fields ? (
        <form
          class="panel offer-form"
          aria-labelledby="offer-title"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div class="panel-head">
            <h2 id="offer-title">{loaded.id}</h2>
            <span class="muted">
              {loaded.kind} · {loaded.slot}
            </span>
            {edited && <span class="badge warn">edited</span>}
          </div>
          <ItemProblems problems={problems} />
          <Field
            path="priority"
            label="Priority"
            fields={fields}
            problems={problems}
            onInput={set}
            inputMode="numeric"
          />
          <Field
            path="eligibility"
            label="Eligibility"
            fields={fields}
            problems={problems}
            onInput={set}
            mono
            hint={'An expression over the profile, e.g. segment == "residential" and tenureMonths >= 6'}
          />
          <div class="row">
            <Field path="valid.from" label="Valid from" fields={fields} problems={problems} onInput={set} type="date" />
            <Field path="valid.to" label="Valid to" fields={fields} problems={problems} onInput={set} type="date" />
          </div>
          <fieldset class="channels-field" aria-describedby={describedBy("channels", problems)}>
            <legend>Channels</legend>
            {CHANNELS.map((c) => (
              <label key={c} class="check">
                <input
                  type="checkbox"
                  id={`offer-channel-${c}`}
                  checked={fields.channels.includes(c)}
                  onChange={(e) => toggle(c, e.currentTarget.checked)}
                />
                {c}
              </label>
            ))}
            <FieldProblems path="channels" problems={problems} value="" />
          </fieldset>
          {loaded.languages.map((language) => (
            <fieldset key={language} class="copy" aria-describedby={describedBy(`copy.${language}`, problems)}>
              <legend>Copy · {LANGUAGE_NAMES[language] ?? language}</legend>
              <FieldProblems path={`copy.${language}`} problems={problems} value="" />
              <Field
                path={`copy.${language}.headline`}
                label="Headline"
                fields={fields}
                problems={problems}
                onInput={set}
              />
              <Field
                path={`copy.${language}.body`}
                label="Body"
                fields={fields}
                problems={problems}
                onInput={set}
                multiline
              />
              <Field path={`copy.${language}.sms`} label="SMS text" fields={fields} problems={problems} onInput={set} />
              <div class="row">
                <Field
                  path={`copy.${language}.cta.label`}
                  label="Button label"
                  fields={fields}
                  problems={problems}
                  onInput={set}
                />
                <Field
                  path={`copy.${language}.cta.url`}
                  label="Button link"
                  fields={fields}
                  problems={problems}
                  onInput={set}
                />
              </div>
            </fieldset>
          ))}
          <div class="form-actions">
            <button
              type="submit"
              class="button primary"
              id="offer-save"
              disabled={!edited || saving || problems.length > 0}
            >
              {saving ? "Saving…" : "Save as draft"}
            </button>
            <button
              type="button"
              class="link"
              disabled={!edited}
              onClick={() => setFields({ values: loaded.values, channels: loaded.channels })}
            >
              Discard changes
            </button>
            <span class="muted" id="offer-lines">
              {check && edited ? linesChanged(check.changedLines, file) : ""}
            </span>
          </div>
          <div role="status" aria-live="polite" id="offer-saved" class={saved && !saved.ok ? "bad" : "ok"}>
            {saved?.message}
          </div>
        </form>
      ) : (
        <div class="empty">Loading the catalogue…</div>
      )}
      <main class="stage offer-stage" id="channels" tabIndex={-1}>
        <div class="offer-stage-head">
          <label class="field">
            <span>Sample customer</span>
            <select id="offer-customer" value={p.customer} onChange={(e) => p.onCustomer(e.currentTarget.value)}>
              {p.meta.samples.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label} · {s.id}
                </option>
              ))}
            </select>
          </label>
          {latest?.draftProblems?.length ? (
            <span class="badge warn" id="offer-preview-stale">
              showing the last edit that loads
            </span>
          ) : null}
        </div>
        <ProblemBanner latest={latest} failure={state.failure} />
        <div class={`channels${state.busy ? " is-busy" : ""}`}>
          {latest?.outside ? (
            <OutsideAudience problem={latest.outside} />
          ) : !shown ? (
            <div class="empty">Composing…</div>
          ) : (
            <>
              {shown.channels?.includes("pdf") && <PdfPane preview={shown} />}
              {shown.channels?.includes("email") && <EmailPane preview={shown} />}
              {shown.channels?.includes("sms") && <SmsPane preview={shown} />}
            </>
          )}
        </div>
        <ImpactPanel impact={check?.impact} edited={edited} />
      </main>
    </div>
  );
}

const linesChanged = (n: number, file: string) =>
  n === 1 ? `1 line of ${file} changes` : `${n} lines of ${file} change`;

function savedMessage(r: OfferSaved): string {
  const release = r.release ? ` Draft release ${r.release.id.slice(0, 12)} made.` : "";
  return `Saved to ${r.saved} (${r.changedLines} line${r.changedLines === 1 ? "" : "s"}).${release}`;
}

const problemsAt = (path: string, problems: OfferProblem[]) => problems.filter((p) => p.field === path);
const describedBy = (path: string, problems: OfferProblem[]) =>
  problemsAt(path, problems).length ? `${fieldId(path)}-problems` : undefined;

/** The form's fields, by path, that problems can be shown under. */
const FORM_FIELDS =
  /^(priority|eligibility|valid\.(from|to)|channels|copy\.[a-z]{2}(\.(headline|body|sms|cta\.label|cta\.url))?)$/;

/** Problems of the item that no field of the form holds, and problems elsewhere in the catalogue. */
function ItemProblems({ problems }: { problems: OfferProblem[] }) {
  const loose = problems.filter((p) => p.field === undefined || !FORM_FIELDS.test(p.field));
  if (loose.length === 0) return null;
  return (
    <ul class="problems item-problems" id="offer-item-problems" role="alert">
      {loose.map((p, i) => (
        <li key={i}>
          <code class="code">{p.code}</code>
          {p.field ? <code class="at">{p.field}</code> : p.at && <code class="at">{p.at}</code>}
          <span class="message">{p.message}</span>
        </li>
      ))}
    </ul>
  );
}

interface FieldProps {
  path: string;
  label: string;
  fields: OfferFields;
  problems: OfferProblem[];
  onInput: (path: string, value: string) => void;
  multiline?: boolean;
  mono?: boolean;
  type?: "text" | "date";
  inputMode?: "numeric";
  hint?: string;
}

function Field({ path, label, fields, problems, onInput, multiline, mono, type, inputMode, hint }: FieldProps) {
  const id = fieldId(path);
  const value = fields.values[path] ?? "";
  const here = problemsAt(path, problems);
  const common = {
    id,
    value,
    class: mono ? "mono" : "",
    "aria-invalid": here.length ? ("true" as const) : undefined,
    "aria-describedby": [here.length ? `${id}-problems` : "", hint ? `${id}-hint` : ""].join(" ").trim() || undefined,
    onInput: (e: Event) => onInput(path, (e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`form-field${here.length ? " invalid" : ""}`}>
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea rows={4} {...common} />
      ) : type === "date" ? (
        <input type="date" {...common} />
      ) : (
        <input type="text" inputMode={inputMode} {...common} />
      )}
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <FieldProblems path={path} problems={problems} value={value} />
    </div>
  );
}

/** A field's problems, each with the character it is at marked in the text as typed. */
function FieldProblems({ path, problems, value }: { path: string; problems: OfferProblem[]; value: string }) {
  const here = problemsAt(path, problems);
  if (here.length === 0) return null;
  return (
    <ul class="problems field-problems" id={`${fieldId(path)}-problems`}>
      {here.map((p, i) => (
        <li key={i} data-code={p.code} data-offset={p.offset}>
          <span class="message">{p.message.replace(/^item "[^"]+": /, "")}</span>
          {p.offset !== undefined && value && (
            <span class="at-char">
              <span class="sr-only">at character {p.offset + 1}: </span>
              <code>
                {value.slice(Math.max(0, p.offset - 24), p.offset)}
                <mark>{value[p.offset] ?? " "}</mark>
                {value.slice(p.offset + 1, p.offset + 24)}
              </code>
            </span>
          )}
          {p.hint && <span class="hint">{p.hint}</span>}
        </li>
      ))}
    </ul>
  );
}

/** What the edit does to the sample customers' decisions: who moves from which offer to which. */
function ImpactPanel({ impact, edited }: { impact?: DecisionImpact; edited: boolean }) {
  return (
    <section class="panel impact" aria-labelledby="impact-title" id="offer-impact">
      <h2 id="impact-title">Impact on the sample customers</h2>
      {!edited ? (
        <p class="muted">Change a field to see which customers' decisions move.</p>
      ) : !impact ? (
        <p class="muted">The edit must load before its impact can be counted.</p>
      ) : impact.changed === 0 ? (
        <p id="impact-summary">No decision changes: all {impact.customers} sample customers keep their offers.</p>
      ) : (
        <>
          <p id="impact-summary">
            {impact.changed} of {impact.customers} sample customers get a different decision.
          </p>
          <ul class="moves">
            {impact.moves.map((m, i) => (
              <li key={i} data-slot={m.slot}>
                <strong>{m.customers}</strong> sample customer{m.customers === 1 ? "" : "s"} move from{" "}
                <code>{m.from ?? "nothing"}</code> to <code>{m.to ?? "nothing"}</code>{" "}
                <span class="muted">
                  ({m.slot}, {m.segment}; e.g. {m.examples.join(", ")})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
