/**
 * The console's request checks, pure: the action credential (constant-time), the session cookie and
 * the cross-site request rules for state-changing requests (CSRF):
 *   1. the credential in CREDENTIAL_HEADER (a header only the page's own script sets: a form or an
 *      <img> of another site cannot set headers, and a cross-origin fetch with it needs CORS, which
 *      the console never grants);
 *   2. Origin, when sent, equal to the console's own origin; Sec-Fetch-Site, when sent, same-origin;
 *   3. the session cookie (SameSite=Strict, HttpOnly) from the login, so a page is logged in.
 */
import { createHash, timingSafeEqual } from "crypto";
import { CREDENTIAL_HEADER, SESSION_COOKIE } from "./contract";

/** Equal without leaking where two strings differ (both hashed to one length first). */
export function credentialMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === "") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The value of one cookie of a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** The session value of a deployment: derived from the credential, so a restart keeps sessions and the cookie is not the credential. */
export function sessionToken(credential: string): string {
  return createHash("sha256").update(`bridge-console-session\0${credential}`).digest("base64url");
}

export function sessionCookie(credential: string): string {
  return `${SESSION_COOKIE}=${sessionToken(credential)}; HttpOnly; SameSite=Strict; Path=/`;
}

export interface RequestFacts {
  readonly method: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

const header = (r: RequestFacts, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Whether a request comes from the console's own page (same origin), judged by the browser's headers. */
export function sameOrigin(r: RequestFacts, ownOrigin: string): Verdict {
  const site = header(r, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return { ok: false, status: 403, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
  const origin = header(r, "origin");
  if (origin !== undefined && origin !== ownOrigin) return { ok: false, status: 403, reason: `cross-origin request refused (Origin: ${origin})` };
  return { ok: true };
}

/** The check of a state-changing request (restart a connector, run verify). */
export function checkAction(r: RequestFacts, ownOrigin: string, credential: string): Verdict {
  if (r.method !== "POST") return { ok: false, status: 403, reason: "actions are POST requests" };
  const origin = sameOrigin(r, ownOrigin);
  if (!origin.ok) return origin;
  if (header(r, "origin") === undefined && header(r, "sec-fetch-site") === undefined) {
    // Every browser sends Origin on a POST fetch; a request without either is not from the page.
    return { ok: false, status: 403, reason: "request without Origin refused" };
  }
  if (cookieValue(header(r, "cookie"), SESSION_COOKIE) !== sessionToken(credential)) return { ok: false, status: 401, reason: "not logged in" };
  if (!credentialMatches(header(r, CREDENTIAL_HEADER), credential)) return { ok: false, status: 401, reason: `missing or wrong ${CREDENTIAL_HEADER}` };
  return { ok: true };
}
