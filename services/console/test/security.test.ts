import { CREDENTIAL_HEADER, SESSION_COOKIE } from "../src/contract";
import { checkAction, cookieValue, credentialMatches, sameOrigin, sessionToken } from "../src/security";

const CRED = "s3cr3t-credential-of-this-deployment";
const ORIGIN = "http://127.0.0.1:18888";
const page = (extra: Record<string, string> = {}) => ({
  method: "POST",
  headers: { origin: ORIGIN, "sec-fetch-site": "same-origin", cookie: `other=1; ${SESSION_COOKIE}=${sessionToken(CRED)}`, [CREDENTIAL_HEADER]: CRED, ...extra },
});

describe("credential check", () => {
  test("GIVEN the deployment's credential WHEN compared THEN it matches; any other text, none, or an empty expected one THEN not", () => {
    expect(credentialMatches(CRED, CRED)).toBe(true);
    expect(credentialMatches(`${CRED}x`, CRED)).toBe(false);
    expect(credentialMatches(undefined, CRED)).toBe(false);
    expect(credentialMatches("", "")).toBe(false);
  });
  test("GIVEN a cookie header WHEN a cookie is read THEN by exact name", () => {
    expect(cookieValue("a=1; bridge_console_session_x=2; bridge_console_session=3", SESSION_COOKIE)).toBe("3");
    expect(cookieValue(undefined, SESSION_COOKIE)).toBeUndefined();
  });
  test("GIVEN the session value WHEN derived THEN it is not the credential itself", () => {
    expect(sessionToken(CRED)).not.toContain(CRED);
    expect(sessionToken(CRED)).toBe(sessionToken(CRED));
  });
});

describe("CSRF check of actions", () => {
  test("GIVEN a request of the console's own page (origin, cookie, header) WHEN checked THEN allowed", () => {
    expect(checkAction(page(), ORIGIN, CRED)).toEqual({ ok: true });
  });
  test("GIVEN a form posted from another site (cookie sent, no header) WHEN checked THEN refused as cross-site", () => {
    const r = checkAction({ method: "POST", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", cookie: `${SESSION_COOKIE}=${sessionToken(CRED)}` } }, ORIGIN, CRED);
    expect(r).toEqual({ ok: false, status: 403, reason: "cross-site request refused (Sec-Fetch-Site: cross-site)" });
  });
  test("GIVEN another origin without Sec-Fetch-Site WHEN checked THEN refused by Origin", () => {
    expect(checkAction({ method: "POST", headers: { ...page().headers, origin: "http://localhost:9999", "sec-fetch-site": undefined } }, ORIGIN, CRED)).toMatchObject({ ok: false, status: 403 });
  });
  test("GIVEN a request with neither Origin nor Sec-Fetch-Site (a script, not the page) WHEN checked THEN refused", () => {
    expect(checkAction({ method: "POST", headers: { cookie: `${SESSION_COOKIE}=${sessionToken(CRED)}`, [CREDENTIAL_HEADER]: CRED } }, ORIGIN, CRED)).toEqual({ ok: false, status: 403, reason: "request without Origin refused" });
  });
  test("GIVEN the page without the session cookie, or with a wrong credential header WHEN checked THEN 401", () => {
    expect(checkAction(page({ cookie: "" }), ORIGIN, CRED)).toEqual({ ok: false, status: 401, reason: "not logged in" });
    expect(checkAction(page({ [CREDENTIAL_HEADER]: "guess" }), ORIGIN, CRED)).toEqual({ ok: false, status: 401, reason: `missing or wrong ${CREDENTIAL_HEADER}` });
  });
  test("GIVEN a GET WHEN checked as an action THEN refused: actions are POST", () => {
    expect(checkAction({ ...page(), method: "GET" }, ORIGIN, CRED).ok).toBe(false);
  });
  test("GIVEN a same-origin login post WHEN its origin is checked THEN allowed; none sent (curl) THEN allowed too (the credential decides)", () => {
    expect(sameOrigin({ method: "POST", headers: { origin: ORIGIN } }, ORIGIN)).toEqual({ ok: true });
    expect(sameOrigin({ method: "POST", headers: {} }, ORIGIN)).toEqual({ ok: true });
  });
});
