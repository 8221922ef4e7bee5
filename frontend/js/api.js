// The HTTP API client: one fetcher, one error type, one function per route used.

export class ApiError extends Error {
  /** `unreachable`: the API could not answer at all (network down, 502/503/504).
   *  `errors`: the problem's field errors (`{field, message, line, suggestion}`). */
  constructor(status, detail, unreachable = false, errors = []) {
    super(detail || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail || "";
    this.unreachable = unreachable;
    this.errors = errors;
  }
}

/** `body`: a string is sent as `text/markdown`, anything else as JSON. */
async function request(method, path, { params = null, body, token = null, signal } = {}) {
  const query = params && String(params);
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = typeof body === "string" ? "text/markdown; charset=utf-8" : "application/json";
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, {
      method,
      signal,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "", true);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = { detail: response.statusText };
    }
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    throw new ApiError(response.status, String(problem.detail || ""), response.status === 0 || response.status >= 502, errors);
  }
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(response.status, "the answer was not valid JSON", true);
  }
}

const getJson = (path, params = null, signal = undefined) => request("GET", path, { params, signal });

export function search(params, signal) {
  return getJson("/api/search", params, signal);
}

let taxonomyPromise = null;

/** The vocabularies, fetched once per page (the HTTP cache keeps them between pages). */
export function taxonomy() {
  taxonomyPromise ??= getJson("/api/taxonomy").catch((error) => {
    taxonomyPromise = null;
    throw error;
  });
  return taxonomyPromise;
}

export function practiceUrl(slug) {
  return `/api/practices/${encodeURIComponent(slug)}`;
}

export function practice(slug) {
  return getJson(practiceUrl(slug));
}

export function similar(slug) {
  return getJson(`${practiceUrl(slug)}/similar`);
}

export function revisions(slug) {
  return getJson(`${practiceUrl(slug)}/revisions`);
}

// --- contributions (every one carries the session's token) ----------------------------------

export function me(token) {
  return request("GET", "/api/me", { token });
}

/** Check a submission without storing it: `{valid, warnings, practice}` or a 422 ApiError. */
export function validate(token, body, edits, signal) {
  return request("POST", "/api/validate", { token, body, signal, params: edits ? new URLSearchParams({ edits }) : null });
}

export function submit(token, body, edits) {
  return request("POST", "/api/submissions", { token, body, params: edits ? new URLSearchParams({ edits }) : null });
}

export function submissions(token, params) {
  return request("GET", "/api/submissions", { token, params });
}

export function submission(token, id) {
  return request("GET", `/api/submissions/${encodeURIComponent(id)}`, { token });
}

export function approve(token, id, decision) {
  return request("POST", `/api/submissions/${encodeURIComponent(id)}/approve`, { token, body: decision });
}

export function reject(token, id, reason) {
  return request("POST", `/api/submissions/${encodeURIComponent(id)}/reject`, { token, body: { reason } });
}
