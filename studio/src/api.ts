/** The studio's endpoints, as the page calls them. Types come from the server side, so they cannot drift. */
import type { Problem } from "../../src/core/problem.ts";
import type { Profile } from "../../src/profile/types.ts";
import type { Preview } from "../../src/studio/preview.ts";
import type { DecisionImpact, ProofDocument, Release } from "../../src/releases/types.ts";
import type { OfferFields, OfferForm } from "../../src/studio/offer-yaml.ts";
import type { OfferProblem } from "../../src/studio/offers.ts";
import type { DocumentDiffShown, ImageShown } from "../../src/studio/release-diff.ts";
import type { ProofCard } from "../../src/studio/proof.ts";

export type {
  DecisionImpact,
  DocumentDiffShown,
  ImageShown,
  Release,
  OfferFields,
  OfferForm,
  OfferProblem,
  Preview,
  Problem,
  ProofCard,
  Profile,
};

export interface OfferCheck {
  problems: OfferProblem[];
  changedLines: number;
  /** What the edit does to the sample customers' decisions, when the edited catalogue loads. */
  impact?: DecisionImpact;
}

/** A release with its proof set's listing (no bytes), as the release page shows it. */
export interface ReleaseShown {
  release: Release;
  proof?: { hash: string; runDate: string; problems: Problem[]; documents: Omit<ProofDocument, "bytes">[] };
}

/** One proof document, ready to show. */
export interface ProofView {
  path: string;
  channel: "pdf" | "email" | "sms";
  label: string;
  sha256: string;
  pdf?: { pageUrls: string[]; pdfUrl: string };
  email?: { subject: string; htmlUrl: string; text?: string };
  text?: string;
}

export interface OfferSaved {
  saved: string;
  changedLines: number;
  engine: { version: number; ok: boolean };
  /** The draft release the save made, when the studio keeps releases. */
  release?: { id: string; state: string };
}

export interface EngineSummary {
  version: number;
  ok: boolean;
  problems: Problem[];
  changed: string[];
  buildMs: number;
}

export interface Meta {
  templates: { id: string; name: string; version: string; languages: string[]; channels: string[] }[];
  template?: string;
  samples: { id: string; label: string; summary: string }[];
  sampleCount: number;
  runDate: string;
  engine: EngineSummary;
}

export class Unauthorised extends Error {}

function problemsIn(text: string): Problem[] | undefined {
  try {
    return (JSON.parse(text) as { problems?: Problem[] }).problems;
  } catch {
    return undefined;
  }
}

/** A request the server answered with problems. */
export class RefusedError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`api/${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 401) throw new Unauthorised("sign in");
  if (!res.ok) {
    const text = await res.text();
    // A refusal in words: the problems' own messages (four eyes, a missing scope, a state that forbids the move).
    if (res.status === 403 && path === "session") throw new Unauthorised("this key lacks the preview scope");
    const problems = problemsIn(text);
    throw new RefusedError(
      problems?.length ? problems : [{ message: `${method} ${path}: ${res.status} ${text}` } as Problem],
    );
  }
  return res.json() as Promise<T>;
}

export const api = {
  /** Trades an API key for an HttpOnly session cookie; the key is not kept by the page. */
  signIn: (key: string) => call<{ signedIn: boolean }>("POST", "session", {}, { authorization: `Bearer ${key}` }),
  signOut: () => call<{ signedIn: boolean }>("DELETE", "session"),
  meta: () => call<Meta>("GET", "meta"),
  sample: (id: string) => call<Profile>("GET", `samples/${encodeURIComponent(id)}`),
  preview: (template: string, runDate: string, profileText: string) =>
    call<Preview>("POST", "preview", { template, runDate, profileText }),
  proofList: (template: string, runDate: string, set: string) =>
    call<{ customers: { id: string; label: string }[] }>(
      "GET",
      `proof?${new URLSearchParams({ template, runDate, set })}`,
    ),
  proofCard: (template: string, runDate: string, customer: string) =>
    call<ProofCard>("GET", `proof/card?${new URLSearchParams({ template, runDate, customer })}`),
  offers: () =>
    call<{ file: string; items: { id: string; kind: string; slot: string; headline: string }[] }>("GET", "offers"),
  offer: (id: string) => call<OfferForm>("GET", `offers/${encodeURIComponent(id)}`),
  checkOffer: (id: string, fields: OfferFields, template: string, runDate: string) =>
    call<OfferCheck>("POST", `offers/${encodeURIComponent(id)}/check`, { ...fields, template, runDate }),
  previewOffer: (id: string, fields: OfferFields, template: string, runDate: string, profileText: string) =>
    call<Preview>("POST", `offers/${encodeURIComponent(id)}/preview`, { ...fields, template, runDate, profileText }),
  saveOffer: (id: string, fields: OfferFields, template: string, runDate: string) =>
    call<OfferSaved>("POST", `offers/${encodeURIComponent(id)}/save`, { ...fields, template, runDate }),
  releases: (template: string) => call<{ releases: Release[] }>("GET", `releases?${new URLSearchParams({ template })}`),
  release: (id: string) => call<ReleaseShown>("GET", `releases/${id}`),
  proofDocument: (id: string, path: string) =>
    call<ProofView>("GET", `releases/${id}/document?${new URLSearchParams({ path })}`),
  compare: (id: string, runDate: string) =>
    call<{ against: string; documents: DocumentDiffShown[]; problems: Problem[] }>(
      "GET",
      `releases/${id}/diff?${new URLSearchParams({ runDate })}`,
    ),
  propose: (template: string, runDate: string) => call<{ release: Release }>("POST", "releases", { template, runDate }),
  moveRelease: (
    id: string,
    action: "approve" | "reject" | "publish" | "retire",
    body: { seen?: string; comment?: string },
  ) => call<unknown>("POST", `releases/${id}/${action}`, body),
  proofPdfUrl: (template: string, runDate: string, set: string) =>
    `api/proof.pdf?${new URLSearchParams({ template, runDate, set })}`,
};

/** Resolves once every image has loaded, so a new preview replaces the old one whole, without flicker. */
export function preloadImages(urls: string[]): Promise<unknown> {
  return Promise.all(
    urls.map((url) => {
      const img = new Image();
      img.src = url;
      return img.decode().catch(() => undefined);
    }),
  );
}
