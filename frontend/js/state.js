// The search page's whole state (text, filters, sort, page, language) and its URL.
// The URL is the source of truth: a link reproduces the page, back and forward work.

/** Filter name (as the API calls it) -> taxonomy vocabulary, in the order of the panel. */
export const FACETS = {
  sector: "sectors",
  factor: "factors",
  population: "populations",
  theme: "themes",
  province: "province",
  community_size: "community_size",
  evidence: "evidence",
  language: "language",
  status: "status",
  license: null, // SPDX ids, which are their own labels: no vocabulary
};
export const SORTS = ["relevance", "newest", "title"];
export const PER_PAGE = 20;
const MAX_VALUES = 50;
const MAX_QUERY = 500;
const MAX_PAGE = 10000;

export function emptyState(lang = "en") {
  return { q: "", filters: {}, sort: "relevance", page: 1, lang };
}

/** The state a URL's query string describes; anything unknown or malformed is ignored. */
export function readState(search = window.location.search) {
  const params = new URLSearchParams(search);
  const state = emptyState(params.get("lang"));
  state.q = (params.get("q") || "").slice(0, MAX_QUERY);
  for (const facet of Object.keys(FACETS)) {
    const values = [...new Set(params.getAll(facet).filter((v) => v && v.length <= 100))];
    if (values.length) state.filters[facet] = values.slice(0, MAX_VALUES);
  }
  const sort = params.get("sort");
  if (SORTS.includes(sort)) state.sort = sort;
  const page = Number.parseInt(params.get("page") || "1", 10);
  if (Number.isFinite(page) && page >= 1) state.page = Math.min(page, MAX_PAGE);
  return state;
}

export function copyState(state, changes = {}) {
  const filters = {};
  for (const [facet, values] of Object.entries(state.filters)) filters[facet] = [...values];
  return { ...state, filters, ...changes };
}

export function withFilter(state, facet, value, on) {
  const next = copyState(state, { page: 1 });
  const values = new Set(next.filters[facet] || []);
  if (on) values.add(value);
  else values.delete(value);
  if (values.size) next.filters[facet] = [...values];
  else delete next.filters[facet];
  return next;
}

export function activeFilters(state) {
  const out = [];
  for (const facet of Object.keys(FACETS)) {
    for (const value of state.filters[facet] || []) out.push({ facet, value });
  }
  return out;
}

function filterParams(state, params) {
  const text = state.q.trim();
  if (text) params.set("q", text);
  for (const { facet, value } of activeFilters(state)) params.append(facet, value);
  return params;
}

/** The page URL of a state: only what differs from the defaults, and always the language. */
export function stateHref(state, lang = state.lang) {
  const params = filterParams(state, new URLSearchParams());
  if (state.sort !== "relevance") params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  params.set("lang", lang);
  return `/?${params}`;
}

/** The feed of a state's search: its text and filters, in the page's language. */
export function feedHref(state, lang = state.lang) {
  const params = filterParams(state, new URLSearchParams());
  params.set("lang", lang === "fr" ? "fr" : "en");
  return `/feeds/practices.atom?${params}`;
}

/** Every practice of a state's search (all pages) as a file: `csv`, `zip` or `ndjson`. */
export function exportHref(state, format) {
  const params = filterParams(state, new URLSearchParams());
  params.set("format", format);
  return `/api/export?${params}`;
}

/** The `/api/search` query of a state. */
export function apiParams(state, perPage = PER_PAGE) {
  const params = filterParams(state, new URLSearchParams());
  params.set("sort", state.sort);
  params.set("page", String(state.page));
  params.set("per_page", String(perPage));
  if (state.lang === "en" || state.lang === "fr") params.set("lang", state.lang); // breaks ties
  return params;
}
