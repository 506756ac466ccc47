import { useCallback, useEffect, useState } from "preact/hooks";
import { type EngineSummary, type Meta, Unauthorised, api } from "./api.ts";
import { CustomerList } from "./customers.tsx";
import { DecisionPanel } from "./decision.tsx";
import { EmailPane } from "./email-pane.tsx";
import { PdfPane } from "./pdf-pane.tsx";
import { OffersView } from "./offers.tsx";
import { OutsideAudience, ProblemBanner } from "./problems.tsx";
import { ProfileEditor } from "./profile-editor.tsx";
import { ProofSheet } from "./proof.tsx";
import { ReleasesView } from "./releases.tsx";
import { ShortcutHelp, useShortcuts } from "./shortcuts.tsx";
import { SignIn } from "./sign-in.tsx";
import { SmsPane } from "./sms-pane.tsx";
import { Toolbar } from "./toolbar.tsx";
import { usePreview } from "./use-preview.ts";

export type Route = "preview" | "proof" | "offers" | "releases";
const ROUTES: Route[] = ["proof", "offers", "releases"];
const routeOf = (hash: string): Route => ROUTES.find((r) => hash === `#/${r}`) ?? "preview";

export function App() {
  const [auth, setAuth] = useState<"checking" | "needed" | "ok">("checking");
  const [authError, setAuthError] = useState<string>();
  const [meta, setMeta] = useState<Meta>();
  const [engine, setEngine] = useState<EngineSummary>();
  const [live, setLive] = useState(false);
  const [template, setTemplate] = useState("");
  const [runDate, setRunDate] = useState("");
  const [customer, setCustomer] = useState<string>();
  const [loadedText, setLoadedText] = useState("");
  const [profileText, setProfileText] = useState("");
  const [route, setRoute] = useState<Route>(routeOf(location.hash));
  const [help, setHelp] = useState(false);

  const load = useCallback(async () => {
    try {
      const m = await api.meta();
      setMeta(m);
      setEngine(m.engine);
      setTemplate(m.template ?? "");
      setRunDate(m.runDate);
      setAuth("ok");
      if (m.samples[0]) await pick(m.samples[0].id);
    } catch (err) {
      if (!(err instanceof Unauthorised)) throw err;
      setAuth("needed");
      setAuthError(err.message === "sign in" ? undefined : err.message);
    }
  }, []);

  const pick = useCallback(async (id: string) => {
    setCustomer(id);
    const text = JSON.stringify(await api.sample(id), null, 2);
    setLoadedText(text);
    setProfileText(text);
  }, []);

  // A local studio opens with `#key=…`: trade it for a cookie at once and drop it from the address bar.
  useEffect(() => {
    const key = new URLSearchParams(location.hash.slice(1)).get("key");
    const signIn = key ? api.signIn(key).catch(() => undefined) : Promise.resolve();
    if (key) history.replaceState(null, "", location.pathname);
    void signIn.then(load);
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  // Every engine build on the server (a file changed on disk) arrives here and refreshes the preview.
  useEffect(() => {
    if (auth !== "ok") return;
    const events = new EventSource("api/events");
    events.addEventListener("engine", (e) => setEngine(JSON.parse((e as MessageEvent).data)));
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    return () => events.close();
  }, [auth]);

  // The preview view's own preview; the offers view asks for its own, with the edited offer.
  const state = usePreview(
    template,
    runDate,
    route === "preview" ? profileText : "",
    engine?.version ?? 0,
    `${template}|${customer}`,
  );
  const samples = meta?.samples ?? [];
  const step = (delta: number) => {
    const i = samples.findIndex((s) => s.id === customer);
    const next = samples[Math.min(samples.length - 1, Math.max(0, i + delta))];
    if (next && next.id !== customer) void pick(next.id);
  };
  const go = (r: Route) => {
    location.hash = r === "preview" ? "#/" : `#/${r}`;
  };
  useShortcuts({
    "[": () => step(-1),
    "]": () => step(1),
    e: () => document.getElementById("profile-json")?.focus(),
    c: () => document.querySelector<HTMLElement>("#customer-list [tabindex='0']")?.focus(),
    d: () => document.getElementById("run-date")?.focus(),
    p: () => go(route === "proof" ? "preview" : "proof"),
    "?": () => setHelp(true),
  });

  if (auth === "checking") return <div class="splash">Loading omnidoc studio…</div>;
  if (auth === "needed")
    return (
      <SignIn
        error={authError}
        onSignIn={async (key) => {
          try {
            await api.signIn(key);
            await load();
          } catch (err) {
            setAuthError((err as Error).message);
          }
        }}
      />
    );
  if (!meta) return null;

  const { shown, latest } = state;
  return (
    <div class="studio">
      <a class="skip" href="#channels">
        Skip to preview
      </a>
      <Toolbar
        meta={meta}
        template={template}
        onTemplate={setTemplate}
        runDate={runDate}
        onRunDate={setRunDate}
        route={route}
        onRoute={go}
        live={live}
        engine={engine}
        busy={state.busy}
        refreshMs={state.refreshMs}
        composeMs={shown?.timings.composeMs}
        onHelp={() => setHelp(true)}
      />
      {route === "releases" ? (
        <ReleasesView template={template} runDate={runDate} />
      ) : route === "offers" ? (
        <OffersView
          meta={meta}
          template={template}
          runDate={runDate}
          engineVersion={engine?.version ?? 0}
          customer={customer}
          onCustomer={(id) => void pick(id)}
          profileText={profileText}
        />
      ) : route === "proof" ? (
        <ProofSheet
          template={template}
          runDate={runDate}
          sampleCount={meta.sampleCount}
          engineVersion={engine?.version ?? 0}
          onOpen={(id) => {
            void pick(id);
            go("preview");
          }}
        />
      ) : (
        <div class="workspace">
          <aside class="rail" aria-label="Customer">
            <CustomerList samples={samples} selected={customer} onPick={pick} />
            <ProfileEditor
              text={profileText}
              edited={profileText !== loadedText}
              problems={latest?.profileProblems ?? []}
              onChange={setProfileText}
              onReset={() => setProfileText(loadedText)}
            />
          </aside>
          <main class="stage" id="channels" tabIndex={-1}>
            <ProblemBanner engine={engine} latest={latest} failure={state.failure} />
            <div class={`channels${state.busy ? " is-busy" : ""}`}>
              {latest?.outside ? (
                <OutsideAudience problem={latest.outside} />
              ) : !shown ? (
                <div class="empty">
                  {latest?.profileProblems.length ? "Fix the profile to see a preview." : "Composing…"}
                </div>
              ) : (
                <>
                  {shown.channels?.includes("pdf") && <PdfPane preview={shown} />}
                  {shown.channels?.includes("email") && <EmailPane preview={shown} />}
                  {shown.channels?.includes("sms") && <SmsPane preview={shown} />}
                </>
              )}
            </div>
            {shown?.decision && <DecisionPanel decision={shown.decision} />}
          </main>
        </div>
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
