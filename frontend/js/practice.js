// The practice page (`/practices/{slug}`): the case study (drawn by practice-view.js),
// similar practices, its history, downloads, print and "Suggest an edit".

import * as api from "./api.js";
import "./strings-contrib.js";
import { applyStrings, lang, otherLang, resolveLang, setLang, t } from "./i18n.js";
import { byId, clear, h } from "./dom.js";
import { useTaxonomy } from "./labels.js";
import { historySection } from "./history.js";
import { errorNotice, renderLanguageSwitch, startPage } from "./page.js";
import { practiceArticle } from "./practice-view.js";
import { resultCard } from "./results.js";

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
let history = null;
let failure = null;

function pageHref(language) {
  return `/practices/${encodeURIComponent(slug)}?lang=${language}`;
}

// --- actions, similar, history ---------------------------------------------------------

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
    copy,
    h("a", { class: "button button-secondary button-small", href: `/submit?edits=${encodeURIComponent(slug)}&lang=${lang()}`, text: t("suggestEdit") }),
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
  document.title = t("practiceTitle", { title: practice.title });
  const printed = h("p", { class: "print-only print-source" }, `${t("source")} ${window.location.origin}${pageHref(lang())}`);
  const after = [similarSection(), historySection(slug, history), printed];
  root.replaceChildren(practiceArticle(practice, { actions: actions(), after }));
}

function renderNotFound(gone) {
  const title = gone ? "withdrawn" : "notFound";
  document.title = `${t(title)} — ${t("site")}`;
  root.replaceChildren(
    h(
      "div",
      { class: "not-found" },
      h("h1", { text: t(title) }),
      h("p", { text: t(`${title}Text`, { slug }) }),
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
  else if (failure && (failure.status === 404 || failure.status === 422)) renderNotFound(false);
  else if (failure && failure.status === 410) renderNotFound(true);
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
  // similar practices and the history are extras: the rest of the page stands without them
  const [found, revisions] = await Promise.allSettled([api.similar(slug), api.revisions(slug)]);
  similar = found.status === "fulfilled" ? found.value.practices : null;
  history = revisions.status === "fulfilled" ? revisions.value.revisions : null;
  root.querySelector("section.similar")?.replaceWith(similarSection());
  root.querySelector("section.history")?.replaceWith(historySection(slug, history));
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
