// The /fit page: a community describes itself and weighs the criteria groups; practices
// (within the usual search text and filters) come back ranked by fit, criterion by criterion.

import "./strings-fit.js";
import * as api from "./api.js";
import { lang, t, tn } from "./i18n.js";
import { byId, clear, h } from "./dom.js";
import { label, useTaxonomy } from "./labels.js";
import { errorNotice, renderLanguageSwitch, startPage } from "./page.js";
import { resultCard } from "./results.js";
import { FACETS, activeFilters, readState, stateHref } from "./state.js";
import { criterionTitle, groupLabel, isComplete, profileBody, profileForm, profileParams, readProfile, verdict } from "./fitprofile.js";

const PER_PAGE = 20;
const OPEN_DETAILS = 3; // the best few show their criteria; the others on request
let rules = null;
let controller = null;

function pageHref(profile, search, language = lang()) {
  const params = profileParams(profile);
  if (search.q.trim()) params.set("q", search.q.trim());
  for (const { facet, value } of activeFilters(search)) params.append(facet, value);
  if (search.page > 1) params.set("page", String(search.page));
  params.set("lang", language);
  return `/fit?${params}`;
}

export function worksheetHref(slug, profile, language = lang()) {
  const params = profileParams(profile);
  params.set("lang", language);
  return `/fit/${encodeURIComponent(slug)}?${params}`;
}

function fitBlock(hit, open, profile) {
  const language = lang();
  const byGroup = new Map();
  for (const criterion of hit.fit.criteria) {
    if (!byGroup.has(criterion.group)) byGroup.set(criterion.group, []);
    byGroup.get(criterion.group).push(criterion);
  }
  const details = h(
    "details",
    { class: "fit-details", open },
    h("summary", { text: t("counts", hit.fit.counts) }),
    [...byGroup].map(([group, criteria]) =>
      h(
        "div",
        { class: "fit-group" },
        h("p", { class: "fit-group-label", text: groupLabel(group) }),
        h("ul", { class: "criteria" }, criteria.map((c) => h("li", {}, h("p", { class: "criterion-title", text: criterionTitle(rules, c.id, language) }), verdict(c, language)))),
      ),
    ),
    h("p", {}, h("a", { href: worksheetHref(hit.slug, profile), text: t("openWorksheet", { title: hit.title }) })),
  );
  return details;
}

function renderResults(data, profile, search) {
  const box = clear(byId("ui_fit_results"));
  const heading = h("h2", { id: "ui_fit_heading", tabindex: "-1", text: tn("fitResults", data.total) });
  box.append(heading);
  const filters = activeFilters(search);
  if (search.q.trim() || filters.length) {
    const words = [search.q.trim() && `“${search.q.trim()}”`, ...filters.map((f) => label(FACETS[f.facet], f.value))].filter(Boolean);
    box.append(h("p", { class: "muted" }, `${t("within")} ${words.join(", ")} `, h("a", { href: stateHref(search), text: t("changeSearch") })));
  }
  if (data.matched > data.total) box.append(h("p", { class: "notice", text: t("onlyBest", { n: data.total, m: data.matched }) }));
  box.append(h("p", { class: "fit-ordering" }, h("strong", { text: `${t("ordering")} ` }), data.ordering[lang()] || data.ordering.en));
  const list = h("ol", { class: "result-list", start: String((data.page - 1) * data.per_page + 1) });
  data.hits.forEach((hit, i) => {
    const item = resultCard(hit, { query: search.q });
    item.querySelector("article").append(fitBlock(hit, data.page === 1 && i < OPEN_DETAILS, profile));
    list.append(item);
  });
  box.append(list);
  if (data.pages > 1) {
    const nav = h("nav", { class: "pagination", "aria-label": t("pagination") });
    const link = (page, text) => h("a", { class: "button button-secondary button-small", href: pageHref(profile, { ...search, page }), text });
    if (data.page > 1) nav.append(link(data.page - 1, t("previous")));
    nav.append(h("span", { text: t("pageOf", { page: data.page, pages: data.pages }) }));
    if (data.page < data.pages) nav.append(link(data.page + 1, t("next")));
    box.append(nav);
  }
  return heading;
}

async function run(profile, search, focus = false) {
  const box = byId("ui_fit_results");
  if (!isComplete(profile)) {
    clear(box).append(h("p", { class: "notice", text: t("needProfile") }));
    return;
  }
  controller?.abort();
  controller = new AbortController();
  box.setAttribute("aria-busy", "true");
  try {
    const body = { ...profileBody(profile, rules), q: search.q, filters: search.filters, page: search.page, per_page: PER_PAGE, lang: lang() };
    const data = await api.fit(body, controller.signal);
    const heading = renderResults(data, profile, search);
    byId("ui_status").textContent = tn("fitResults", data.total);
    if (focus) heading.focus();
  } catch (error) {
    if (error.name === "AbortError") return;
    clear(box).append(errorNotice(error, () => run(profile, search)));
  } finally {
    box.removeAttribute("aria-busy");
  }
}

function render(focus = false) {
  const profile = readProfile();
  const search = readState();
  document.title = t("fitTitle");
  renderLanguageSwitch(pageHref(profile, search, lang() === "fr" ? "en" : "fr"), () => render());
  const q = h(
    "div",
    { class: "field" },
    h("label", { for: "ui_fit_q", text: t("narrowLabel") }),
    h("input", { id: "ui_fit_q", type: "search", maxlength: "500", value: search.q }),
  );
  const form = profileForm(rules, profile, lang(), {
    submitText: t("assess"),
    extra: q,
    onSubmit: (next, element) => {
      const nextSearch = { ...search, q: element.querySelector("#ui_fit_q").value, page: 1 };
      window.history.pushState(null, "", pageHref(next, nextSearch));
      render(true);
    },
  });
  clear(byId("ui_fit_profile")).append(h("h2", { id: "ui_fit_profile_heading", text: t("profileHeading") }), form);
  run(profile, search, focus);
}

async function start() {
  startPage();
  try {
    const [taxonomy, fitRules] = await Promise.all([api.taxonomy(), api.fitRules()]);
    useTaxonomy(taxonomy);
    rules = fitRules;
  } catch (error) {
    clear(byId("ui_fit_profile")).append(errorNotice(error, start));
    return;
  }
  window.addEventListener("popstate", () => render());
  render();
}

start();
