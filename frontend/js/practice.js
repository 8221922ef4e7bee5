// The practice page (`/practices/{slug}`): the case study, its metadata, transferability
// factors with their definitions, similar practices, translations, downloads and print.

import * as api from "./api.js";
import { applyStrings, formatDate, formatNumber, lang, otherLang, resolveLang, setLang, t } from "./i18n.js";
import { byId, clear, h, sanitisedFragment } from "./dom.js";
import { definition, groupOf, groups, label, useTaxonomy } from "./labels.js";
import { errorNotice, renderLanguageSwitch, startPage } from "./page.js";
import { evidenceBadge, resultCard } from "./results.js";

function slugOfPage() {
  const raw = window.location.pathname.replace(/^\/practices\//, "").replace(/\/$/, "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed address: the API answers "not found" for it
  }
}

const slug = slugOfPage();
const root = byId("ui_practice");
let practice = null;
let similar = null;
let failure = null;

function pageHref(language) {
  return `/practices/${encodeURIComponent(slug)}?lang=${language}`;
}

function contentLang() {
  return practice && practice.language !== lang() ? practice.language : null;
}

// --- metadata ------------------------------------------------------------------------------

function tagsOf(vocabulary, ids) {
  const inferred = new Map(
    (practice.tags || [])
      .filter((tag) => tag.vocabulary === vocabulary && tag.source === "inferred")
      .map((tag) => [tag.term, tag.evidence || []]),
  );
  return h(
    "ul",
    { class: "tags" },
    ids.map((id) => {
      const words = inferred.get(id);
      if (!words) return h("li", { class: "tag", text: label(vocabulary, id) });
      return h(
        "li",
        { class: "tag tag-inferred", title: t("inferredFrom", { words: words.join(", ") }) },
        label(vocabulary, id),
        h("span", { class: "tag-note", text: ` · ${t("inferred")}` }),
      );
    }),
  );
}

function licenceLink(licence) {
  const match = /^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)$/i.exec(licence || "");
  if (!match) return licence;
  const href = `https://creativecommons.org/licenses/${match[1].toLowerCase()}/${match[2]}/`;
  return h("a", { href, rel: "license noopener", text: licence });
}

function glance() {
  const p = practice;
  const other = contentLang();
  const list = h("dl", { class: "glance-list" });
  const row = (name, ...value) => {
    const parts = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
    if (parts.length) list.append(h("div", { class: "glance-row" }, h("dt", { text: name }), h("dd", {}, parts)));
  };
  row(t("community"), p.community ? h("span", { lang: other, text: p.community }) : null);
  row(t("province"), label("province", p.province));
  row(t("communitySize"), p.community_size ? label("community_size", p.community_size) : null);
  row(t("organization"), p.organization ? h("span", { lang: other, text: p.organization }) : null);
  row(t("lip"), p.lip ? h("span", { lang: other, text: p.lip }) : null);
  const years = p.start_year && p.end_year ? `${p.start_year}–${p.end_year}` : p.start_year ? t("since", { year: p.start_year }) : null;
  row(t("when"), years);
  row(t("status"), p.status ? label("status", p.status) : null);
  row(t("sectors"), p.sectors?.length ? tagsOf("sectors", p.sectors) : null);
  row(t("themes"), p.themes?.length ? tagsOf("themes", p.themes) : null);
  row(t("populations"), p.populations?.length ? tagsOf("populations", p.populations) : null);
  row(t("cost"), p.cost ? label("cost", p.cost) : null);
  row(t("evidence"), evidenceBadge(p.evidence));
  row(t("reach"), p.reach !== null && p.reach !== undefined ? formatNumber(p.reach) : null);
  row(t("licence"), licenceLink(p.license));
  const contact = p.contact || {};
  row(
    t("contact"),
    contact.name ? h("span", { class: "block", lang: other, text: contact.name }) : null,
    contact.email ? h("a", { class: "block", href: `mailto:${contact.email}`, text: contact.email }) : null,
    contact.url ? h("a", { class: "block", href: contact.url, rel: "nofollow noopener", text: contact.url }) : null,
  );
  row(
    t("links"),
    p.links?.length
      ? h("ul", { class: "plain-list" }, p.links.map((link) => h("li", {}, h("a", { href: link.url, rel: "nofollow noopener", lang: other, text: link.title }))))
      : null,
  );
  row(t("updated"), p.updated ? formatDate(p.updated) : formatDate(p.updated_at));
  row(t("reviewed"), p.reviewed ? formatDate(p.reviewed) : null);
  const legend = (p.tags || []).some((tag) => tag.source === "inferred" && tag.vocabulary !== "factors")
    ? h("p", { class: "small muted", text: t("inferredLegend") })
    : null;
  return h("section", { class: "glance panel", "aria-labelledby": "ui_glance" }, h("h2", { id: "ui_glance", text: t("atAGlance") }), list, legend);
}

// --- transferability --------------------------------------------------------------------

function factorItem(id) {
  const tag = (practice.tags || []).find((x) => x.vocabulary === "factors" && x.term === id);
  const inferred = tag && tag.source === "inferred";
  return h(
    "div",
    { class: inferred ? "factor factor-inferred" : "factor" },
    h("dt", {}, label("factors", id), inferred ? h("span", { class: "tag-note", text: ` · ${t("inferred")}` }) : null),
    h("dd", {}, definition("factors", id)),
    inferred ? h("dd", { class: "small muted", text: t("inferredFrom", { words: (tag.evidence || []).map((w) => `“${w}”`).join(", ") }) }) : null,
  );
}

function transferability() {
  const ids = practice.factors || [];
  const box = h(
    "section",
    { class: "transfer panel", "aria-labelledby": "ui_transfer" },
    h("h2", { id: "ui_transfer", text: t("transferability") }),
    h("p", { class: "muted", text: t("transferabilityIntro") }),
  );
  if (!ids.length) box.append(h("p", { text: t("noFactors") }));
  const known = groups("factors");
  const placed = new Set();
  for (const group of known) {
    const inGroup = ids.filter((id) => groupOf("factors", id) === group.id);
    if (!inGroup.length) continue;
    inGroup.forEach((id) => placed.add(id));
    box.append(
      h(
        "div",
        { class: "factor-group" },
        h("h3", {}, group.label, h("span", { class: "question", text: ` — ${group.question}` })),
        h("dl", { class: "factors" }, inGroup.map(factorItem)),
      ),
    );
  }
  const rest = ids.filter((id) => !placed.has(id));
  if (rest.length) box.append(h("dl", { class: "factors" }, rest.map(factorItem)));
  const notes = practice.transferability?.notes;
  if (notes) box.append(h("div", { class: "notes" }, h("h3", { text: t("notes") }), h("p", { lang: contentLang(), text: notes })));
  return box;
}

// --- body -----------------------------------------------------------------------------------

function body() {
  const prose = h("div", { class: "prose", lang: contentLang() });
  prose.append(sanitisedFragment(practice.html));
  const callouts = { "kb-section-core-elements": "coreLabel", "kb-section-what-can-be-adapted": "adaptLabel" };
  for (const [css, key] of Object.entries(callouts)) {
    for (const section of prose.querySelectorAll(`section.${css}`)) {
      const heading = section.querySelector("h2");
      const note = h("p", { class: "callout-label", lang: lang(), text: t(key) });
      if (heading) heading.after(note);
      else section.prepend(note);
    }
  }
  prose.querySelectorAll("table").forEach((table, index) => {
    const wrapper = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("table", { n: index + 1 }), lang: lang() });
    table.replaceWith(wrapper);
    wrapper.append(table);
    table.lang = contentLang() || lang();
  });
  return prose;
}

// --- header, actions, similar ---------------------------------------------------------------

function related() {
  const items = [];
  const translation = practice.translation;
  if (translation) {
    items.push(
      h(
        "li",
        {},
        h("span", { class: "related-kind", text: `${t("colon", { label: t(`translation_${translation.language}`) })} ` }),
        h("a", { href: `/practices/${encodeURIComponent(translation.slug)}?lang=${lang()}`, lang: translation.language, hreflang: translation.language, text: translation.title }),
      ),
    );
  }
  const adapted = practice.adapted_from_practice;
  const source = adapted
    ? h("a", { href: `/practices/${encodeURIComponent(adapted.slug)}?lang=${lang()}`, lang: adapted.language !== lang() ? adapted.language : null, text: adapted.title })
    : /^https?:\/\//i.test(practice.adapted_from || "")
      ? h("a", { href: practice.adapted_from, rel: "nofollow noopener", text: practice.adapted_from })
      : practice.adapted_from || null;
  if (source) items.push(h("li", {}, h("span", { class: "related-kind", text: `${t("colon", { label: t("adaptedFrom") })} ` }), source));
  return items.length ? h("ul", { class: "related" }, items) : null;
}

function actions() {
  const status = h("span", { class: "copy-status", role: "status", "aria-live": "polite" });
  const copy = navigator.clipboard
    ? h("button", {
        type: "button",
        class: "button button-secondary button-small",
        text: t("copyLink"),
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(window.location.href);
            status.textContent = t("copied");
          } catch {
            status.textContent = "";
          }
        },
      })
    : null;
  return h(
    "div",
    { class: "actions", role: "group", "aria-label": t("actions") },
    h("a", { class: "button button-secondary button-small", href: `${api.practiceUrl(slug)}.md`, download: `${slug}.md`, text: t("downloadMd") }),
    h("a", { class: "button button-secondary button-small", href: api.practiceUrl(slug), download: `${slug}.json`, text: t("downloadJson") }),
    h("button", { type: "button", class: "button button-secondary button-small", onclick: () => window.print(), text: t("print") }),
    h("a", { class: "button button-secondary button-small", href: `/fit/${encodeURIComponent(slug)}?lang=${lang()}`, text: t("fitLink") }),
    copy,
    status,
  );
}

function similarSection() {
  const section = h("section", { class: "similar", "aria-labelledby": "ui_similar" }, h("h2", { id: "ui_similar", text: t("similar") }));
  if (!similar) return section;
  if (!similar.length) section.append(h("p", { class: "muted", text: t("noSimilar") }));
  else section.append(h("ol", { class: "result-list result-list-compact" }, similar.map((hit) => resultCard(hit))));
  return section;
}

function renderPractice() {
  const p = practice;
  const other = contentLang();
  document.title = t("practiceTitle", { title: p.title });
  const where = [p.community, label("province", p.province)].filter(Boolean).join(", ");
  const byline = [p.organization, p.lip].filter(Boolean).join(" · ");
  const article = h(
    "article",
    { class: "practice" },
    h(
      "header",
      { class: "practice-header" },
      h("p", { class: "eyebrow" }, h("span", { lang: other, text: where }), other ? h("span", { class: "badge", text: t(`writtenIn_${other}`) }) : null),
      h("h1", { lang: other, text: p.title }),
      h("p", { class: "lead", lang: other, text: p.summary }),
      byline ? h("p", { class: "byline", lang: other, text: byline }) : null,
      related(),
      actions(),
    ),
    glance(),
    h("div", { class: "practice-main" }, transferability(), body()),
    similarSection(),
    h("p", { class: "print-only print-source" }, `${t("source")} ${window.location.origin}${pageHref(lang())}`),
  );
  root.replaceChildren(article);
}

function renderNotFound() {
  document.title = `${t("notFound")} — ${t("site")}`;
  root.replaceChildren(
    h(
      "div",
      { class: "not-found" },
      h("h1", { text: t("notFound") }),
      h("p", { text: t("notFoundText", { slug }) }),
      h("p", {}, h("a", { class: "button", href: `/?lang=${lang()}`, text: t("searchInstead") })),
    ),
  );
}

function renderBackLink() {
  const link = byId("ui_back");
  let back = null;
  try {
    // the last search, when this page was reached from within the site
    if (document.referrer.startsWith(`${window.location.origin}/`)) back = window.sessionStorage.getItem("lipkb.back");
  } catch {
    back = null;
  }
  const url = new URL(back && back.startsWith("/?") ? back : "/", window.location.origin);
  url.searchParams.set("lang", lang());
  link.setAttribute("href", url.pathname + url.search);
  link.textContent = back ? t("backToResults") : t("backToSearch");
}

function render() {
  renderLanguageSwitch(pageHref(otherLang()), () => {
    window.history.pushState(null, "", pageHref(lang()));
    render();
  });
  renderBackLink();
  root.removeAttribute("aria-busy");
  if (practice) renderPractice();
  else if (failure && (failure.status === 404 || failure.status === 422)) renderNotFound();
  else if (failure) {
    document.title = `${t("apiDown")} — ${t("site")}`;
    root.replaceChildren(errorNotice(failure, load));
  }
}

async function load() {
  root.setAttribute("aria-busy", "true");
  failure = null;
  const taxonomyReady = api.taxonomy().then(useTaxonomy, () => useTaxonomy(null));
  try {
    [practice] = await Promise.all([api.practice(slug), taxonomyReady]);
  } catch (error) {
    practice = null;
    failure = error;
  }
  render();
  if (!practice) return;
  try {
    similar = (await api.similar(slug)).practices;
  } catch {
    similar = null; // the rest of the page stands without them
  }
  const old = root.querySelector("section.similar");
  if (old) old.replaceWith(similarSection());
}

function start() {
  startPage();
  window.history.replaceState(null, "", pageHref(lang()) + window.location.hash);
  window.addEventListener("popstate", () => {
    setLang(resolveLang(new URLSearchParams(window.location.search).get("lang")));
    applyStrings();
    render();
  });
  clear(root).append(h("p", { class: "muted", text: t("loadingPractice") }));
  load();
}

start();
