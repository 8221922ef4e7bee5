// The results: count, relaxed words, cards, the "no results" state and pagination.

import { FACETS, activeFilters, copyState, stateHref } from "./state.js";
import { formatList, formatNumber, lang, t, tn } from "./i18n.js";
import { clear, h, highlighted } from "./dom.js";
import { label, order } from "./labels.js";

const SHOWN_FACTORS = 4;

export function practiceHref(slug) {
  return `/practices/${encodeURIComponent(slug)}?lang=${lang()}`;
}

/** "Documented outcomes" with a four-step meter (the meter is decoration: the text says it). */
export function evidenceBadge(evidence) {
  if (!evidence) return null;
  const levels = order("evidence");
  const level = levels.indexOf(evidence) + 1;
  return h(
    "span",
    { class: "evidence" },
    level > 0
      ? h("span", { class: `meter meter-${level}`, "aria-hidden": "true" }, levels.map(() => h("span", {})))
      : null,
    h("span", { text: label("evidence", evidence) }),
  );
}

export function tagList(vocabulary, ids, limit = Infinity, className = "tags") {
  const shown = ids.slice(0, limit);
  return h(
    "ul",
    { class: className },
    shown.map((id) => h("li", { class: "tag", text: label(vocabulary, id) })),
    ids.length > shown.length ? h("li", { class: "tag tag-more", text: t("moreTags", { n: ids.length - shown.length }) }) : null,
  );
}

function where(hit) {
  return [hit.community, label("province", hit.province)].filter(Boolean).join(", ");
}

/** One result: highlighted title and summary, snippet, where, sectors, factors, evidence. */
export function resultCard(hit, { query = "", onOpen = null, headingLevel = "h3" } = {}) {
  const contentLang = hit.language && hit.language !== lang() ? hit.language : null;
  const titleId = `ui_r_${hit.slug}`;
  const hl = hit.highlight || {};
  const snippet = query.trim() && hl.snippet && hl.snippet.includes("<mark>") ? hl.snippet : "";
  const facts = h("dl", { class: "card-facts" });
  const fact = (name, value) => value && facts.append(h("div", {}, h("dt", { text: name }), h("dd", {}, value)));
  fact(t("sectors"), hit.sectors?.length ? tagList("sectors", hit.sectors) : null);
  fact(t("factors"), hit.factors?.length ? tagList("factors", hit.factors, SHOWN_FACTORS, "tags tags-factor") : null);
  fact(t("evidence"), evidenceBadge(hit.evidence));
  return h(
    "li",
    { class: "result" },
    h(
      "article",
      { class: "card", "aria-labelledby": titleId },
      h(
        "p",
        { class: "card-where" },
        h("span", { lang: contentLang, text: where(hit) }),
        contentLang ? h("span", { class: "badge", text: t(`writtenIn_${contentLang}`) }) : null,
      ),
      h(
        headingLevel,
        { class: "card-title", id: titleId },
        h(
          "a",
          {
            href: practiceHref(hit.slug),
            lang: contentLang,
            "data-slug": hit.slug,
            onclick: onOpen ? () => onOpen(hit.slug) : null,
          },
          hl.title ? highlighted(hl.title) : hit.title,
        ),
      ),
      h("p", { class: "card-summary", lang: contentLang }, hl.summary ? highlighted(hl.summary) : hit.summary),
      snippet ? h("p", { class: "card-snippet", lang: contentLang }, highlighted(snippet)) : null,
      facts.childElementCount ? facts : null,
    ),
  );
}

function pageLink(state, page, text, { current = false, rel = null, aria = null, onPage }) {
  const href = stateHref(copyState(state, { page }));
  return h(
    "a",
    {
      href,
      class: current ? "page current" : "page",
      rel,
      "aria-current": current ? "page" : null,
      "aria-label": aria,
      onclick: (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        onPage(page);
      },
    },
    text,
  );
}

function pageNumbers(page, pages) {
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const out = [];
  let last = 0;
  for (const p of [...wanted].sort((a, b) => a - b)) {
    if (p - last > 1) out.push(null);
    out.push(p);
    last = p;
  }
  return out;
}

function pagination(nav, data, state, onPage) {
  clear(nav);
  nav.hidden = data.pages <= 1;
  if (data.pages <= 1) return;
  const page = data.page;
  const items = [];
  if (page > 1) items.push(pageLink(state, page - 1, `‹ ${t("previous")}`, { rel: "prev", onPage }));
  for (const p of pageNumbers(page, data.pages)) {
    items.push(
      p === null
        ? h("span", { class: "page-gap", "aria-hidden": "true", text: "…" })
        : pageLink(state, p, formatNumber(p), {
            current: p === page,
            aria: p === page ? t("currentPage", { n: p }) : t("pageN", { n: p }),
            onPage,
          }),
    );
  }
  if (page < data.pages) items.push(pageLink(state, page + 1, `${t("next")} ›`, { rel: "next", onPage }));
  nav.append(h("ul", {}, items.map((item) => h("li", {}, item))));
}

/** The practices nearest by meaning, offered when nothing matches the words. */
function closestPractices(hits, handlers) {
  return h(
    "section",
    { class: "closest", "aria-labelledby": "ui_closest" },
    h("h3", { id: "ui_closest", text: t("closestHeading") }),
    h("p", { text: t("closestIntro") }),
    h(
      "ol",
      { class: "result-list" },
      hits.map((hit) => resultCard(hit, { onOpen: handlers.onOpen, headingLevel: "h4" })),
    ),
  );
}

function emptyState(state, handlers) {
  const filters = activeFilters(state);
  const box = h("div", { class: "empty" }, h("h3", { text: t("noResults") }));
  if (state.q.trim() && filters.length) box.append(h("p", { text: t("noResultsQuery", { q: state.q.trim() }) }));
  if (filters.length) {
    box.append(
      h("p", { text: t("tryRemoving") }),
      h(
        "ul",
        { class: "suggestions" },
        filters.map(({ facet, value }) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "button button-secondary",
                "data-relax": `${facet}=${value}`,
                onclick: () => handlers.onRemove(facet, value),
              },
              t("removeFilter", { facet: t(`facet_${facet}`), value: label(FACETS[facet], value) }),
              h("span", { class: "relax-count" }),
            ),
          ),
        ),
      ),
    );
  }
  if (state.q.trim()) {
    box.append(
      h("p", { text: t("tryWords") }),
      h(
        "button",
        { type: "button", class: "button button-secondary", "data-relax": "q", onclick: handlers.onClearQuery },
        t("clearQuery"),
        h("span", { class: "relax-count" }),
      ),
    );
  }
  return box;
}

export function resultsHeading(data, state) {
  const query = state.q.trim();
  return query ? `${tn("resultsHeading", data.total)} ${t("resultsFor", { q: query })}` : tn("resultsHeading", data.total);
}

/** Draw a search response into the results region. */
export function renderResults(parts, data, state, handlers) {
  parts.heading.textContent = resultsHeading(data, state);
  clear(parts.notice);
  if (data.dropped_words?.length && data.total) {
    const words = formatList(data.dropped_words.map((w) => `“${w}”`));
    parts.notice.append(h("p", { class: "notice notice-info", text: t("droppedWords", { words }) }));
  }
  clear(parts.list);
  if (!data.total) {
    parts.notice.append(emptyState(state, handlers));
    if (data.closest?.length) parts.notice.append(closestPractices(data.closest, handlers));
  }
  for (const hit of data.hits) parts.list.append(resultCard(hit, { query: state.q, onOpen: handlers.onOpen }));
  pagination(parts.pages, data, state, handlers.onPage);
}
