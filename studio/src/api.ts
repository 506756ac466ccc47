/** The studio's endpoints, as the page calls them. Types come from the server side, so they cannot drift. */
import type { Problem } from "../../src/core/problem.ts";
import type { Profile } from "../../src/profile/types.ts";
import type { Preview } from "../../src/studio/preview.ts";
import type { DecisionImpact } from "../../src/releases/types.ts";
import type { OfferFields, OfferForm } from "../../src/studio/offer-yaml.ts";
import type { OfferProblem } from "../../src/studio/offers.ts";
import type { ProofCard } from "../../src/studio/proof.ts";

export type { DecisionImpact, OfferFields, OfferForm, OfferProblem, Preview, Problem, ProofCard, Profile };

export interface OfferCheck {
  problems: OfferProblem[];
  changedLines: number;
  /** What the edit does to the sample customers' decisions, when the edited catalogue loads. */
  impact?: DecisionImpact;
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

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`api/${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 401 || res.status === 403)
    throw new Unauthorised(res.status === 403 ? "this key lacks the preview scope" : "sign in");
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
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
