// The search page (`/`): searches as you type, facets, chips, sort, pages, all in the URL.

import * as api from "./api.js";
import { applyStrings, lang, otherLang, resolveLang, setLang, t, tn } from "./i18n.js";
import { byId, h } from "./dom.js";
import { isKnown, useTaxonomy } from "./labels.js";
import { errorNotice, later, renderLanguageSwitch, startPage } from "./page.js";
import { FACETS, SORTS, activeFilters, apiParams, copyState, readState, stateHref, withFilter } from "./state.js";
import { renderChips, renderFacets } from "./facets.js";
import { renderResults } from "./results.js";

const TYPING_DELAY = 120; // ms of quiet while typing before the next search
const IDLE = 300; // a keystroke after this much quiet searches at once
const BURST_END = 1000; // typing after this much quiet starts a new history entry
const SLOW = 250; // show "Searching…" only for searches slower than this

const els = {
  form: byId("ui_form"),
  input: byId("ui_q"),
  sort: byId("ui_sort"),
  toggle: byId("ui_filters_toggle"),
  filters: byId("ui_filters"),
  facets: byId("ui_facets"),
  results: byId("ui_results"),
  heading: byId("ui_results_heading"),
  chips: byId("ui_chips"),
  notice: byId("ui_notice"),
  list: byId("ui_list"),
  pages: byId("ui_pages"),
  status: byId("ui_status"),
};

let state = readState();
let data = null;
let error = null;
let requestSeq = 0;
let controller = null;
let slowTimer = 0;
let typingTimer = 0;
let lastInput = 0;
let inBurst = false;
const endBurst = later(BURST_END, () => {
  inBurst = false;
});
const announce = later(500, (text) => {
  els.status.textContent = els.status.textContent === text ? `${text}\u00a0` : text;
});
const taxonomyReady = api.taxonomy().then(useTaxonomy, () => useTaxonomy(null));

// --- history: push committed states, replace while typing -----------------------------

function writeUrl(push) {
  const url = stateHref(state);
  if (url === window.location.pathname + window.location.search) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

function commit(next, options = {}) {
  inBurst = false;
  state = next;
  writeUrl(true);
  renderChips(els.chips, state, chipHandlers);
  updateToggle();
  return run(options);
}

// --- searching ---------------------------------------------------------------------------

async function run({ focusHeading = false, focusSlug = "" } = {}) {
  const seq = ++requestSeq;
  controller?.abort();
  controller = new AbortController();
  window.clearTimeout(slowTimer);
  els.results.setAttribute("aria-busy", "true");
  slowTimer = window.setTimeout(() => els.results.classList.add("is-loading"), SLOW);
  try {
    const [result] = await Promise.all([api.search(apiParams(state), controller.signal), taxonomyReady]);
    if (seq !== requestSeq) return; // a newer search was started: this answer is stale
    if (result.total && !result.hits.length && state.page > result.pages) {
      state = copyState(state, { page: result.pages });
      writeUrl(false);
      run({ focusHeading });
      return;
    }
    data = result;
    error = null;
    render();
    const pages = data.pages > 1 ? `, ${t("announcePage", { page: data.page, pages: data.pages })}` : "";
    const closest = data.total ? 0 : data.closest?.length || 0;
    announce(`${tn("announce", data.total)}${pages}${closest ? `. ${tn("announceClosest", closest)}` : ""}`);
    if (focusHeading) els.heading.focus();
    if (focusSlug) els.list.querySelector(`a[data-slug="${CSS.escape(focusSlug)}"]`)?.focus();
  } catch (failure) {
    if (failure.name === "AbortError" || seq !== requestSeq) return;
    await taxonomyReady; // a refused search can answer before the labels it is judged by
    if (seq !== requestSeq) return;
    const unknown = activeFilters(state).filter(({ facet, value }) => !isKnown(FACETS[facet], value));
    if (failure.status === 422 && unknown.length) {
      // a filter value the taxonomy does not know (an old or edited link): drop it
      state = unknown.reduce((next, { facet, value }) => withFilter(next, facet, value, false), state);
      writeUrl(false);
      run({ focusHeading, focusSlug });
      return;
    }
    data = null;
    error = failure;
    render();
    announce(failure.unreachable ? t("apiDown") : t("apiError", { detail: failure.detail }));
  } finally {
    if (seq === requestSeq) {
      window.clearTimeout(slowTimer);
      els.results.classList.remove("is-loading");
      els.results.removeAttribute("aria-busy");
    }
  }
}

/** With no results, say how many each way out (a filter removed, no words) would give. */
async function suggestRelaxations(seq) {
  const ways = [...els.notice.querySelectorAll("[data-relax]")].slice(0, 8);
  await Promise.all(
    ways.map(async (button) => {
      const way = button.dataset.relax;
      const [facet, value] = way.split("=");
      const next = way === "q" ? copyState(state, { q: "", page: 1 }) : withFilter(state, facet, value, false);
      try {
        const { total } = await api.search(apiParams(next, 1));
        if (seq !== requestSeq) return;
        button.querySelector(".relax-count").textContent = ` (${tn("countPractices", total)})`;
        if (!total) button.classList.add("is-empty");
      } catch {
        // the suggestion stands without its count
      }
    }),
  );
}

function onInput() {
  state = copyState(state, { q: els.input.value, page: 1 });
  writeUrl(!inBurst);
  inBurst = true;
  endBurst();
  const now = performance.now();
  const idle = now - lastInput > IDLE && !typingTimer;
  lastInput = now;
  window.clearTimeout(typingTimer);
  typingTimer = 0;
  if (idle) run();
  else {
    typingTimer = window.setTimeout(() => {
      typingTimer = 0;
      run();
    }, TYPING_DELAY);
  }
}

function onSubmit(event) {
  event.preventDefault();
  window.clearTimeout(typingTimer);
  typingTimer = 0;
  inBurst = false;
  state = copyState(state, { q: els.input.value, page: 1 });
  writeUrl(true);
  run();
}

// --- rendering ---------------------------------------------------------------------------

const chipHandlers = {
  onRemove(facet, value, index) {
    commit(withFilter(state, facet, value, false));
    const chip = byId(`ui_chip_${index}`) || byId(`ui_chip_${index - 1}`);
    (chip || els.input).focus();
  },
  onClear() {
    commit(copyState(state, { filters: {}, page: 1 }));
    els.input.focus();
  },
};

const resultHandlers = {
  onRemove: (facet, value) => commit(withFilter(state, facet, value, false), { focusHeading: true }),
  onClearQuery() {
    els.input.value = "";
    commit(copyState(state, { q: "", page: 1 }), { focusHeading: true });
  },
  onPage(page) {
    commit(copyState(state, { page }), { focusHeading: true });
    els.results.scrollIntoView({ block: "start" });
  },
  onOpen(slug) {
    try {
      window.sessionStorage.setItem("lipkb.back", stateHref(state));
      window.sessionStorage.setItem("lipkb.opened", slug);
    } catch {
      // the practice page then links back to a fresh search
    }
  },
};

const facetHandlers = {
  onToggle: (facet, value, checked) => commit(withFilter(state, facet, value, checked)),
  onExpand: () => renderFacets(els.facets, data?.facets, state, facetHandlers),
};

function updateToggle() {
  const count = activeFilters(state).length;
  els.toggle.textContent = count ? `${t("showFilters")} (${t("activeCount", { n: count })})` : t("showFilters");
}

function render() {
  const query = state.q.trim();
  document.title = query ? `“${query}” — ${t("site")}` : `${t("searchTitle")} — ${t("site")}`;
  renderLanguageSwitch(stateHref(state, otherLang()), switchLanguage);
  updateToggle();
  for (const option of els.sort.options) option.textContent = t(`sort_${option.value}`);
  els.sort.value = state.sort;
  renderChips(els.chips, state, chipHandlers);
  if (error || !data) {
    els.heading.textContent = t("searchTitle");
    els.notice.replaceChildren(errorNotice(error, () => run({ focusHeading: true })));
    els.list.replaceChildren();
    els.pages.hidden = true;
    renderFacets(els.facets, null, state, facetHandlers);
    return;
  }
  renderFacets(els.facets, data.facets, state, facetHandlers);
  renderResults(els, data, state, resultHandlers);
  if (!data.total) suggestRelaxations(requestSeq);
}

function switchLanguage() {
  state = copyState(state, { lang: lang() });
  writeUrl(true);
  render();
}

function onPopState() {
  state = readState();
  setLang(resolveLang(state.lang));
  applyStrings();
  state.lang = lang();
  inBurst = false;
  els.input.value = state.q;
  run();
}

function onKey(event) {
  const target = event.target;
  const typing = target.closest?.("input, textarea, select, [contenteditable]");
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    els.input.focus();
    els.input.select();
  }
}

function start() {
  startPage();
  state.lang = lang();
  writeUrl(false);
  els.input.value = state.q;
  els.sort.replaceChildren(...SORTS.map((sort) => h("option", { value: sort, text: t(`sort_${sort}`) })));
  els.sort.value = state.sort;
  els.sort.addEventListener("change", () => commit(copyState(state, { sort: els.sort.value, page: 1 })));
  els.form.addEventListener("submit", onSubmit);
  els.input.addEventListener("input", onInput);
  els.input.addEventListener("change", () => {
    inBurst = false;
  });
  els.toggle.addEventListener("click", () => {
    const open = els.toggle.getAttribute("aria-expanded") !== "true";
    els.toggle.setAttribute("aria-expanded", String(open));
    els.filters.classList.toggle("is-open", open);
  });
  window.addEventListener("popstate", onPopState);
  document.addEventListener("keydown", onKey);
  renderLanguageSwitch(stateHref(state, otherLang()), switchLanguage);
  updateToggle();
  renderChips(els.chips, state, chipHandlers);
  let focusSlug = "";
  try {
    const navigation = performance.getEntriesByType("navigation")[0];
    if (navigation?.type === "back_forward") focusSlug = window.sessionStorage.getItem("lipkb.opened") || "";
  } catch {
    focusSlug = "";
  }
  run({ focusSlug });
}

start();
