import type { FastifyRequest } from "fastify";
import { HttpProblem } from "./problems.ts";

/** Query parameter names that clients use for credentials (`?api_key=`, `?access_token=`, `?key=`…). */
const CREDENTIAL_NAME =
  /^(?:x[-_]?)?(?:api[-_]?key|apikey|key|access[-_]?token|token|auth|authorization|bearer|secret)$/i;
/** The shape of an omnidoc key (`omd_` and 43 base64url characters), wherever in a URL it is. */
const KEY_SHAPE = /omd_[A-Za-z0-9_-]{16,}/;

/**
 * Refuses a request that carries a key in its URL, valid or not, before anything reads it: URLs end up in proxy,
 * browser and server logs, so keys are taken only from the Authorization header. The answer names the parameter,
 * never its value, and tells the caller to revoke the key.
 */
export async function refuseKeysInUrl(request: FastifyRequest): Promise<void> {
  const query = request.url.indexOf("?");
  const names = query < 0 ? [] : [...new URLSearchParams(request.url.slice(query + 1)).keys()];
  const named = names.find((n) => CREDENTIAL_NAME.test(n));
  if (!named && !KEY_SHAPE.test(safeDecode(request.url))) return;
  throw HttpProblem.of(
    400,
    "OMD_API_KEY_IN_URL",
    named
      ? `an API key was sent in the URL (query parameter ${JSON.stringify(named)}); keys are accepted only in the Authorization header`
      : "an API key was sent in the URL; keys are accepted only in the Authorization header",
    named ? `querystring/${named}` : "url",
    "send Authorization: Bearer <key>; a key that travelled in a URL may sit in logs on the way: revoke it and make a new one (omnidoc serve --new-key)",
  );
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
