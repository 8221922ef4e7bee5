// The HTTP API client: one JSON fetcher, one error type, one function per route used.

export class ApiError extends Error {
  /** `unreachable`: the API could not answer at all (network down, 502/503/504). */
  constructor(status, detail, unreachable = false) {
    super(detail || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail || "";
    this.unreachable = unreachable;
  }
}

/** `body`, when given, is sent as JSON with POST. */
async function getJson(path, params = null, signal = undefined, body = undefined) {
  const query = params && String(params);
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, {
      method: body === undefined ? "GET" : "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      headers,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "", true);
  }
  if (!response.ok) {
    let detail = "";
    try {
      detail = String((await response.json()).detail || "");
    } catch {
      detail = response.statusText;
    }
    throw new ApiError(response.status, detail, response.status === 0 || response.status >= 502);
  }
  try {
    return await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(response.status, "the answer was not valid JSON", true);
  }
}

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

export function fitRules() {
  return getJson("/api/fit/rules");
}

/** Practices ranked by fit for a community (`POST /api/fit`). */
export function fit(body, signal) {
  return getJson("/api/fit", null, signal, body);
}

export function practiceFit(slug, profile) {
  return getJson(`${practiceUrl(slug)}/fit`, null, undefined, profile);
}
