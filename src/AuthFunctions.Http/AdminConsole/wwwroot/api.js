// HTTP access to the AuthFunctions API and the in-memory session.
//
// The access token lives only in the module-level `token` variable below: it is never exported,
// never written to storage, cookies, the URL or the DOM. Reloading the page signs the user out,
// which is intended.

/** The page size used by every listing in the console. */
export const PAGE_SIZE = 50;

// setTimeout stores its delay in a signed 32-bit integer; longer delays fire immediately.
const MAX_TIMER_MS = 2147483647;

let token = null;
let expiryTimer = null;
let current = null; // token-free description of the signed-in caller
let sessionEndedHandler = () => {};

/** A failed API call: `status` is the HTTP status, `detail` the text to show to the user. */
export class ApiError extends Error {
  constructor(status, problem, sessionEnded = false) {
    const detail = problemText(status, problem);
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.problem = problem;
    // True when this failure ended the session: the sign-in screen already says so.
    this.sessionEnded = sessionEnded;
  }
}

function problemText(status, problem) {
  if (problem && typeof problem === 'object') {
    if (typeof problem.detail === 'string' && problem.detail.trim() !== '') return problem.detail;
    if (typeof problem.title === 'string' && problem.title.trim() !== '') return problem.title;
  }
  return status ? `Request failed (status ${status})` : 'The server could not be reached.';
}

/** Registers the callback run when the session ends by itself (expiry or a 401 answer). */
export function onSessionEnded(handler) {
  sessionEndedHandler = handler;
}

/** The signed-in caller (without the token), or null. */
export function session() {
  return current;
}

export function isSignedIn() {
  return token !== null;
}

/** Drops the token and everything known about the caller. Does not call the session-ended callback. */
export function signOut() {
  token = null;
  current = null;
  if (expiryTimer !== null) {
    clearTimeout(expiryTimer);
    expiryTimer = null;
  }
}

function endSession() {
  if (token === null) return;
  signOut();
  sessionEndedHandler();
}

/** Base64 of the UTF-8 bytes of `text` (btoa alone only takes Latin-1). */
function base64Utf8(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

async function readBody(response) {
  if (response.status === 204 || response.status === 304) return null;
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  return text;
}

async function send(method, path, headers, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  const parsed = await readBody(response);
  return { response, parsed };
}

/**
 * Signs in with a username and password (HTTP Basic against /rs/authorise), then learns who the
 * caller is and what it may administer. Resolves with `session()`; throws ApiError on failure.
 */
export async function signIn(username, password) {
  signOut();
  const { response, parsed } = await send('GET', '/rs/authorise', {
    Accept: 'application/json',
    Authorization: `Basic ${base64Utf8(`${username}:${password}`)}`,
  });
  if (!response.ok || !parsed || typeof parsed.accessToken !== 'string') {
    throw new ApiError(response.status, parsed);
  }

  token = parsed.accessToken;
  const seconds = Number(parsed.expiresIn);
  if (Number.isFinite(seconds) && seconds > 0) {
    expiryTimer = setTimeout(endSession, Math.min(seconds * 1000, MAX_TIMER_MS));
  }

  try {
    const { body: me } = await request('GET', '/api/authentication/token');
    const rights = Array.isArray(me?.rights) ? me.rights : [];
    const superUser = rights.includes('administration');
    let allTenants = [];
    if (!superUser) {
      allTenants = await fetchAll('/tenants');
    }
    current = {
      sub: me?.sub ?? '',
      name: me?.name || me?.sub || username,
      rights,
      superUser,
      allTenants: allTenants.map((t) => ({ id: t.id, name: t.name ?? t.id, role: t.role })),
      adminTenants: allTenants
        .filter((t) => t.role === 'admin')
        .map((t) => ({ id: t.id, name: t.name ?? t.id })),
      expiresAt: parsed.expiresAt ?? null,
    };
    return current;
  } catch (error) {
    signOut();
    throw error;
  }
}

/**
 * Calls the API with the session's bearer token. Resolves `{status, body, headers}` for 2xx; throws
 * ApiError otherwise. A 401 ends the session (once) and runs the session-ended callback.
 * A string body is sent as-is (already JSON text); anything else is JSON-encoded.
 */
export async function request(method, path, body) {
  if (token === null) {
    throw new ApiError(401, { detail: 'Your session has ended; sign in again.' }, true);
  }
  const sentWith = token;
  const headers = { Accept: 'application/json', Authorization: `Bearer ${sentWith}` };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const { response, parsed } = await send(method, path, headers, payload);
  if (response.status === 401) {
    // Only end the session the request was made in: a late answer to an older session's request
    // must not sign out whoever signed in since.
    const stillCurrent = token === sentWith;
    if (stillCurrent) endSession();
    throw new ApiError(401, parsed, stillCurrent || token === null);
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Adds a query parameter to a path that may already have a query. */
export function withQuery(path, params) {
  const parts = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  if (parts.length === 0) return path;
  return path + (path.includes('?') ? '&' : '?') + parts.join('&');
}

/** One page of a listing: `{items, next}` where `next` is the continuation token or null. */
export async function requestPage(path, continuationToken, limit = PAGE_SIZE) {
  const { body, headers } = await request('GET', withQuery(path, { limit, continuationToken }));
  return {
    items: Array.isArray(body) ? body : [],
    next: headers.get('Continuation-Token') || null,
  };
}

/** Every item of a listing, following continuation tokens (bounded, in case of a server loop). */
export async function fetchAll(path) {
  const items = [];
  let next = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await requestPage(path, next, 1000);
    items.push(...page.items);
    next = page.next;
    if (!next) break;
  }
  return items;
}

/** Encodes one path segment. */
export function seg(value) {
  return encodeURIComponent(String(value));
}

/** Finds the user whose username equals `username` (case-insensitively), or throws ApiError. */
export async function findUserByName(username) {
  const wanted = username.trim();
  const { items } = await requestPage(withQuery('/admin/users', { username: wanted }), null, 1000);
  // As the server compares usernames: NFKC, then without regard to case ("ｇｒａｃｅ" is "grace").
  const key = (text) => String(text).normalize('NFKC').toLowerCase();
  const match = items.find((u) => key(u.username) === key(wanted));
  if (!match) throw new ApiError(404, { detail: `No user named ${wanted}.` });
  return match;
}
