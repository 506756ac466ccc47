import type { Problem } from "./api.ts";
import { ProblemList } from "./problems.tsx";

interface Props {
  text: string;
  edited: boolean;
  problems: Problem[];
  onChange: (text: string) => void;
  onReset: () => void;
}

type Json = Record<string, unknown>;

/** The fields marketers change most when asking "what if", as controls that edit the JSON below them. */
const QUICK: { label: string; path: string[]; options?: string[] }[] = [
  { label: "Segment", path: ["segment"], options: ["residential", "small-business", "vulnerable"] },
  { label: "Language", path: ["preferences", "language"], options: ["en", "fr", "de"] },
  { label: "Marketing consent", path: ["preferences", "marketingConsent"] },
  { label: "In arrears", path: ["account", "inArrears"] },
  { label: "Direct debit", path: ["account", "directDebit"] },
  { label: "Paperless", path: ["preferences", "paperless"] },
];

function parse(text: string): Json | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const get = (o: Json, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Json)[k] : undefined), o);

function set(o: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(o);
  let at: Json = copy;
  for (const k of path.slice(0, -1)) {
    if (!at[k] || typeof at[k] !== "object") at[k] = {};
    at = at[k] as Json;
  }
  at[path.at(-1)!] = value;
  return copy;
}

/** The profile as JSON, validated on the server as you type with the engine's own schema and messages. */
export function ProfileEditor({ text, edited, problems, onChange, onReset }: Props) {
  const profile = parse(text);
  const update = (path: string[], value: unknown) =>
    profile && onChange(JSON.stringify(set(profile, path, value), null, 2));
  return (
    <section class="panel profile">
      <div class="panel-head">
        <h2>Profile</h2>
        {edited && (
          <>
            <span class="badge warn">edited</span>
            <button type="button" class="link" onClick={onReset}>
              Reset
            </button>
          </>
        )}
      </div>
      <fieldset class="quick" disabled={!profile}>
        <legend class="sr-only">Quick edit</legend>
        {QUICK.map((q) => {
          const value = profile ? get(profile, q.path) : undefined;
          const id = `quick-${q.path.join("-")}`;
          return q.options ? (
            <label key={id} class="quick-field">
              <span>{q.label}</span>
              <select id={id} value={String(value ?? "")} onChange={(e) => update(q.path, e.currentTarget.value)}>
                {q.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label key={id} class="quick-field check">
              <input
                id={id}
                type="checkbox"
                checked={value === true}
                onChange={(e) => update(q.path, e.currentTarget.checked)}
              />
              <span>{q.label}</span>
            </label>
          );
        })}
      </fieldset>
      <label class="sr-only" for="profile-json">
        Profile JSON
      </label>
      <textarea
        id="profile-json"
        class={problems.length ? "invalid" : ""}
        spellcheck={false}
        autocomplete="off"
        value={text}
        aria-invalid={problems.length > 0}
        aria-describedby="profile-problems"
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <div id="profile-problems" aria-live="polite">
        {problems.length > 0 ? <ProblemList problems={problems} /> : <p class="valid">✓ Valid profile</p>}
      </div>
    </section>
  );
}
