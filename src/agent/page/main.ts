/**
 * The agent's page: sign in, find a customer, read their offer now and one timeline. Plain DOM, text only
 * through textContent (customer data never becomes markup), the customer's own HTML (an email) only inside a
 * sandboxed frame. The customer id is kept in the fragment so a reload stays on the customer; nothing else is.
 */
import type { DeliveryEntry, OfferEvent, OfferState, TimelineEntry } from "../timeline.ts";
import type { CustomerView } from "../view.ts";
import "./styles.css";

class SignedOut extends Error {}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`api/${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 401) throw new SignedOut();
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.problems?.[0]?.message ?? `the server answered ${res.status}`);
  return answer as T;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

type Child = Node | string | false | undefined;

/** An element with attributes and children; strings become text nodes, never markup. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs))
    if (value === true) node.setAttribute(name, "");
    else if (value !== false) node.setAttribute(name, value);
  for (const c of children) if (c !== false && c !== undefined) node.append(c);
  return node;
}

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const time = (iso: string, format = when) => el("time", { datetime: iso }, format.format(new Date(iso)));

const CHANNELS: Record<string, string> = {
  pdf: "letter (PDF)",
  email: "email",
  sms: "text message",
  print: "letter (post)",
  "call-centre": "call centre",
  "mobile-app": "mobile app",
};
const channel = (c: string) => CHANNELS[c] ?? c;
const STATES: Record<OfferState, string> = {
  sent: "sent",
  clicked: "clicked",
  accepted: "accepted",
  declined: "declined",
  withdrawn: "withdrawn",
};

type DeliveryState = DeliveryEntry["state"];

/** A delivery's state in words: the pill's colour only repeats what they say. */
function deliveryState(state: DeliveryState, d?: Pick<DeliveryEntry, "channel" | "notBefore">): string {
  switch (state) {
    case "pending":
      if (d?.notBefore) return `waiting for quiet hours to end (${when.format(new Date(d.notBefore))})`;
      return d?.channel === "print" ? "waiting for the print batch" : "waiting to be sent";
    case "sending":
      return "being sent";
    case "deferred":
      return "deferred, to be tried again";
    case "uncertain":
      return "uncertain: it may or may not have left";
    case "fallen-back":
      return "not delivered: sent another way";
    default:
      return state;
  }
}

function status(message: string): void {
  $("status").textContent = message;
}

function show(signedIn: boolean, who = ""): void {
  $("sign-in").hidden = signedIn;
  $("find").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
  $("signed-in-as").hidden = !signedIn;
  $("signed-in-as").textContent = signedIn ? `Signed in as ${who}` : "";
  if (!signedIn) {
    $("customer").replaceChildren();
    $("matches").hidden = true;
    $<HTMLInputElement>("api-key").focus();
  }
}

async function start(): Promise<void> {
  try {
    const me = await call<{ key: string }>("GET", "session");
    show(true, me.key);
    if (customerInFragment()) await openCustomer(customerInFragment()!);
    else $<HTMLInputElement>("query").focus();
  } catch (e) {
    if (e instanceof SignedOut) show(false);
    else status(`The view cannot start: ${(e as Error).message}`);
  }
}

const customerInFragment = () => new URLSearchParams(location.hash.slice(1)).get("customer") ?? undefined;

async function openCustomer(id: string): Promise<void> {
  status(`Loading customer ${id}…`);
  try {
    const view = await call<CustomerView>("GET", `customers/${encodeURIComponent(id)}`);
    $("matches").hidden = true;
    $("customer").replaceChildren(customer(view));
    status(
      `Customer ${id}: ${view.offerNow.offers.filter((o) => o.kind === "offer").length} offer(s) now, ${view.timeline.length} entries in the timeline.`,
    );
    $("customer-heading").focus();
  } catch (e) {
    if (e instanceof SignedOut) return show(false);
    $("customer").replaceChildren();
    status((e as Error).message);
  }
}

function customer(view: CustomerView): HTMLElement {
  const who = view.customer;
  const deliveries = new Map(view.timeline.flatMap((e) => (e.kind === "delivery" ? [[e.id, e] as const] : [])));
  return el(
    "article",
    { class: "customer", "aria-labelledby": "customer-heading" },
    el(
      "header",
      { class: "card who-card" },
      el("h2", { id: "customer-heading", tabindex: "-1" }, who?.name || `Customer ${view.customerId}`),
      el(
        "dl",
        { class: "facts" },
        el("dt", {}, "Customer id"),
        el("dd", {}, view.customerId),
        who && el("dt", {}, "Account number"),
        who && el("dd", {}, who.accountNumber),
        who && el("dt", {}, "Sent by"),
        who && el("dd", {}, who.channels.map(channel).join(", ") || "none"),
        who && el("dt", {}, "Marketing"),
        who && el("dd", {}, who.marketingConsent ? "consents" : "no consent"),
      ),
    ),
    offerNow(view),
    view.deliveryProblems.length > 0 && deliveryProblems(view),
    el(
      "section",
      { class: "timeline-section", "aria-labelledby": "timeline-heading" },
      el("h3", { id: "timeline-heading" }, "Timeline, newest first"),
      view.timeline.length === 0
        ? el("p", {}, "Nothing recorded yet.")
        : el("ol", { class: "timeline" }, ...view.timeline.map((e) => entry(e, deliveries))),
    ),
  );
}

/** Offers first, as the agent makes them; the bill's service and regulatory messages after, to mention. */
function offerNow(view: CustomerView): HTMLElement {
  const { withdrawn, decision } = view.offerNow;
  const offers = view.offerNow.offers.filter((o) => o.kind === "offer");
  const messages = view.offerNow.offers.filter((o) => o.kind !== "offer");
  return el(
    "section",
    { class: "card offer-now", "aria-labelledby": "offer-now-heading" },
    el("h3", { id: "offer-now-heading" }, "Offer now"),
    offers.length === 0
      ? el(
          "p",
          {},
          decision ? "Nothing to offer: no offer of record still stands." : "No decision of record for this customer.",
        )
      : el(
          "ol",
          { class: "offers" },
          ...offers.map((o) =>
            el(
              "li",
              { "data-offer": o.offerId },
              el("strong", { class: "offer-id" }, o.offerId),
              el("span", { class: "slot" }, o.slot),
              o.validTo && el("span", {}, "valid until ", time(o.validTo, day)),
              el("span", {}, `as on the ${o.documents.map((d) => channel(d.channel)).join(", ") || "bill"}`),
            ),
          ),
        ),
    messages.length > 0 &&
      el(
        "p",
        { class: "messages" },
        "Also on the bill: ",
        ...messages.flatMap((m, i) => [i > 0 && ", ", el("strong", {}, m.offerId), ` (${m.kind})`]),
      ),
    decision &&
      el(
        "p",
        { class: "quiet" },
        `From the decision of ${day.format(new Date(decision.created))} (${decision.template}).`,
      ),
    withdrawn.length > 0 &&
      el(
        "details",
        {},
        el("summary", {}, `Not to offer (${withdrawn.length})`),
        el("ul", {}, ...withdrawn.map((w) => el("li", {}, el("strong", {}, w.offerId), `: ${w.explanation}`))),
      ),
  );
}

function deliveryProblems(view: CustomerView): HTMLElement {
  return el(
    "section",
    { class: "card problems", "aria-labelledby": "problems-heading" },
    el("h3", { id: "problems-heading" }, "Delivery problems"),
    el(
      "ul",
      {},
      ...view.deliveryProblems.map((d) =>
        el(
          "li",
          {},
          time(d.at),
          ` ${channel(d.channel)}: ${deliveryState(d.state, d)}`,
          d.detail ? ` (${d.detail}) ` : " ",
          goTo(d.id, `Go to the ${channel(d.channel)} in the timeline`),
        ),
      ),
    ),
  );
}

/** A button that takes focus to a delivery's entry: the fragment holds the customer, so no link can. */
function goTo(deliveryId: string, label: string): HTMLElement {
  const b = el("button", { type: "button", class: "button" }, label);
  b.addEventListener("click", () => {
    const target = document.getElementById(`delivery-${deliveryId}`);
    target?.scrollIntoView({ block: "center" });
    target?.focus();
  });
  return b;
}

/**
 * A delivery with its steps, tied to its fallback both ways by buttons that move focus; a problem says so in its
 * heading's words, and its colour only repeats them.
 */
function delivery(
  e: DeliveryEntry,
  others: Map<string, DeliveryEntry>,
  item: (kind: string, heading: Child, ...body: Child[]) => HTMLElement,
): HTMLElement {
  const related = (id: string, words: string) => {
    const other = others.get(id);
    return el("p", {}, words, " ", other && goTo(id, `Go to the ${channel(other.channel)}`));
  };
  const entry = item(
    "delivery",
    el(
      "span",
      {},
      `${e.fallbackOf ? "Fallback delivery" : "Delivery"} by ${channel(e.channel)}: `,
      el("span", { class: `state ${e.state}` }, deliveryState(e.state, e)),
    ),
    el(
      "p",
      {},
      e.address ? `To ${e.address}` : "To the postal address",
      e.attempts > 0 ? `, ${e.attempts} attempt(s)` : "",
      e.gateway ? `, by ${e.gateway}` : "",
    ),
    e.detail && el("p", { class: "note" }, e.detail),
    e.fallbackOf && related(e.fallbackOf, "Sent instead of a delivery that did not arrive."),
    e.fallback &&
      related(e.fallback, `Sent again by ${channel(others.get(e.fallback)?.channel ?? "another channel")}.`),
    el(
      "details",
      {},
      el("summary", {}, `Steps (${e.steps.length})`),
      el(
        "ol",
        { class: "events" },
        ...e.steps.map((s) => el("li", {}, deliveryState(s.state), ", ", time(s.at), s.detail ? `: ${s.detail}` : "")),
      ),
    ),
  );
  entry.id = `delivery-${e.id}`;
  entry.dataset.delivery = e.id;
  entry.tabIndex = -1;
  if (e.problem) entry.classList.add("problem");
  return entry;
}

let frames = 0;

function entry(e: TimelineEntry, deliveries: Map<string, DeliveryEntry>): HTMLElement {
  const item = (kind: string, heading: Child, ...body: Child[]) =>
    el(
      "li",
      { class: `entry ${kind}`, "data-kind": kind },
      el("h4", {}, heading),
      el("p", { class: "when" }, time(e.at)),
      ...body,
    );
  switch (e.kind) {
    case "document": {
      const offers =
        e.offerIds.length > 0 && el("p", { class: "quiet" }, `Offers and messages: ${e.offerIds.join(", ")}`);
      if (e.channel === "pdf")
        return item(
          "pdf",
          `Letter (PDF): ${e.template}`,
          el("img", {
            src: `api/documents/${e.id}/thumbnail.jpg`,
            alt: `First page of the ${e.template} letter`,
            width: "200",
            height: "283",
            loading: "lazy",
            class: "thumbnail",
          }),
          el(
            "p",
            {},
            el("a", { href: `api/documents/${e.id}/pdf`, target: "_blank", rel: "noopener" }, "Open the PDF (new tab)"),
          ),
          offers,
        );
      if (e.channel === "email") {
        const id = `email-${++frames}`;
        const toggle = el(
          "button",
          { type: "button", class: "button", "aria-expanded": "false", "aria-controls": id },
          "Show the email",
        );
        const holder = el("div", { id, class: "email-frame", hidden: true });
        toggle.addEventListener("click", () => {
          const open = toggle.getAttribute("aria-expanded") !== "true";
          toggle.setAttribute("aria-expanded", String(open));
          toggle.textContent = open ? "Hide the email" : "Show the email";
          if (open && !holder.firstChild)
            holder.append(
              el("iframe", {
                src: `api/documents/${e.id}/email`,
                sandbox: "",
                title: `The email as sent: ${e.subject ?? e.template}`,
              }),
            );
          holder.hidden = !open;
        });
        return item("email", `Email: ${e.subject ?? e.template}`, el("p", {}, toggle), holder, offers);
      }
      if (e.channel === "sms")
        return item("sms", "Text message", el("blockquote", { class: "sms-text" }, e.text ?? ""), offers);
      return item(e.channel, `${e.channel}: ${e.template}`, offers);
    }
    case "offer":
      return item(
        "offer",
        el("span", {}, `Offer ${e.offerId}: `, el("span", { class: `state ${e.state}` }, STATES[e.state])),
        el("ol", { class: "events" }, ...e.events.map(offerEvent)),
      );
    case "interaction":
      return item(
        "interaction",
        `${channel(e.channel)}: ${e.topic}`,
        el("p", {}, `Reported by ${e.source}`, e.outcome ? `, outcome: ${e.outcome}` : ""),
        e.note && el("p", { class: "note" }, e.note),
      );
    case "delivery":
      return delivery(e, deliveries, item);
  }
}

function offerEvent(ev: OfferEvent): HTMLElement {
  const how = ev.channels.length > 0 ? ` by ${ev.channels.map(channel).join(", ")}` : "";
  return el(
    "li",
    {},
    `${STATES[ev.state]}${how}`,
    ev.source ? ` (reported by ${ev.source})` : "",
    ", ",
    time(ev.at),
    ev.explanation ? `: ${ev.explanation}` : "",
  );
}

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("api-key");
  try {
    await call("POST", "session", {}, { authorization: `Bearer ${input.value.trim()}` });
    input.value = "";
    status("Signed in.");
    await start();
  } catch (e) {
    status(e instanceof SignedOut ? "That key is not one this server accepts." : (e as Error).message);
    input.focus();
  }
});

$("sign-out").addEventListener("click", async () => {
  await call("DELETE", "session").catch(() => undefined);
  history.replaceState(null, "", location.pathname);
  show(false);
  status("Signed out.");
});

$("find").addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = $<HTMLInputElement>("query").value.trim();
  if (!query) return;
  status("Searching…");
  try {
    const { customers } = await call<{ customers: string[] }>("POST", "find", { query });
    if (customers.length === 0) {
      $("matches").hidden = true;
      return status("No customer has that id or account number.");
    }
    if (customers.length === 1) return go(customers[0]);
    $("matches").replaceChildren(
      el("h2", {}, `${customers.length} customers match`),
      el(
        "ul",
        {},
        ...customers.map((id) => {
          const b = el("button", { type: "button", class: "button" }, `Customer ${id}`);
          b.addEventListener("click", () => go(id));
          return el("li", {}, b);
        }),
      ),
    );
    $("matches").hidden = false;
    status(`${customers.length} customers match: choose one.`);
  } catch (e) {
    if (e instanceof SignedOut) show(false);
    else status((e as Error).message);
  }
});

/** The customer id goes in the fragment, which no server sees; the page follows it. */
function go(id: string): void {
  const hash = `#customer=${encodeURIComponent(id)}`;
  if (location.hash === hash) void openCustomer(id);
  else location.hash = hash;
}

window.addEventListener("hashchange", () => {
  const id = customerInFragment();
  if (id) void openCustomer(id);
});

void start();
