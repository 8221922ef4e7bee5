// The one-practice fit worksheet (/fit/{slug}): the practice's core and adaptable
// elements, each criterion's verdict and reason, the community's own notes and 1–5
// ratings; printable (or saved as PDF) for a partnership council meeting.

import "./strings-fit.js";
import * as api from "./api.js";
import { lang, t } from "./i18n.js";
import { byId, clear, h } from "./dom.js";
import { groups, label, useTaxonomy } from "./labels.js";
import { errorNotice, renderLanguageSwitch, startPage } from "./page.js";
import { practiceHref } from "./results.js";
import { criterionTitle, groupLabel, isComplete, pick, profileBody, profileForm, profileParams, readProfile, verdict } from "./fitprofile.js";

const SLUG = decodeURIComponent(window.location.pathname.split("/").pop() || "");
const RATINGS = [1, 2, 3, 4, 5];
let rules = null;
let practice = null;

function href(profile, language = lang()) {
  const params = profileParams(profile);
  params.set("lang", language);
  return `/fit/${encodeURIComponent(SLUG)}?${params}`;
}

/** Free text that prints as typed; an empty field prints as room to write by hand. */
function notes(id, text) {
  const mirror = h("div", { class: "print-only print-notes", "aria-hidden": "true" });
  const area = h("textarea", { id, class: "notes-input", rows: "2", "aria-label": text });
  area.addEventListener("input", () => (mirror.textContent = area.value));
  return [area, mirror];
}

function rating(id, criterion) {
  const control = h("select", { id, "aria-label": t("ratingLabel", { criterion }) }, h("option", { value: "", text: t("notRated") }), RATINGS.map((n) => h("option", { value: String(n), text: String(n) })));
  const mirror = h("div", { class: "print-only print-rating", "aria-hidden": "true", text: RATINGS.join("  ") });
  control.addEventListener("change", () => (mirror.textContent = control.value ? `${control.value} / 5` : RATINGS.join("  ")));
  return [control, mirror];
}

function elements(heading, text, empty, className) {
  const lines = (text || "").split("\n").map((line) => line.trim()).filter(Boolean);
  return h(
    "section",
    { class: `worksheet-elements ${className}` },
    h("h2", { text: heading }),
    lines.length ? h("ul", { lang: practice.language }, lines.map((line) => h("li", { text: line }))) : h("p", { class: "muted", text: empty }),
  );
}

function communitySummary(profile) {
  const language = lang();
  const offers = (list, chosen) => list.filter((o) => chosen.includes(o.id)).map((o) => pick(o.label, language));
  const weights = profileBody(profile, rules).weights;
  const row = (name, value) => h("div", {}, h("dt", { text: name }), h("dd", { text: value }));
  return h(
    "section",
    { class: "worksheet-community" },
    h("h2", { text: t("ourCommunity") }),
    h(
      "dl",
      { class: "worksheet-facts" },
      row(t("yourProvince"), label("province", profile.province)),
      row(t("yourSize"), label("community_size", profile.community_size)),
      row(t("francophoneRow"), profile.francophone_minority ? t("francophoneYes") : t("francophoneNo")),
      row(t("partnersLegend"), offers(rules.partners, profile.partners).join("; ") || t("partnersNone")),
      row(t("resourcesLegend"), offers(rules.resources, profile.resources).join("; ") || t("resourcesNone")),
      row(t("weightsHeading"), groups("factors").map((g) => t("weightOf", { group: g.label, weight: pick(rules.weights.find((w) => w.value === weights[g.id]).label, language) })).join("; ")),
    ),
  );
}

function criteriaTable(fit) {
  const language = lang();
  return h(
    "section",
    { class: "worksheet-criteria" },
    h("h2", { text: t("criteriaHeading") }),
    h(
      "table",
      { class: "criteria-table" },
      h("thead", {}, h("tr", {}, [t("criterionCol"), t("verdictCol"), t("notesCol"), t("ratingCol")].map((text) => h("th", { scope: "col", text })))),
      h(
        "tbody",
        {},
        fit.criteria.map((c) => {
          const title = criterionTitle(rules, c.id, language);
          return h(
            "tr",
            { class: `criterion-row verdict-row-${c.verdict}` },
            h("th", { scope: "row" }, h("span", { class: "criterion-group", text: groupLabel(c.group) }), h("span", { class: "criterion-title", text: title })),
            h("td", {}, verdict(c, language)),
            h("td", { class: "notes-cell" }, notes(`ui_notes_${c.id}`, t("notesLabel", { criterion: title }))),
            h("td", { class: "rating-cell" }, rating(`ui_rating_${c.id}`, title)),
          );
        }),
      ),
    ),
  );
}

function renderProfileForm(profile) {
  const form = profileForm(rules, profile, lang(), {
    submitText: t("assessOne"),
    onSubmit: (next) => {
      window.history.pushState(null, "", href(next));
      render();
    },
  });
  return h("details", { class: "worksheet-profile screen-only", open: !isComplete(profile) }, h("summary", { text: t("changeProfile") }), form);
}

async function render() {
  const profile = readProfile();
  const box = clear(byId("ui_worksheet"));
  const cs = practice;
  document.title = t("worksheetTitle", { title: cs.title });
  renderLanguageSwitch(href(profile, lang() === "fr" ? "en" : "fr"), render);
  byId("ui_back").setAttribute("href", `${practiceHref(SLUG)}`);
  box.append(
    h(
      "header",
      { class: "worksheet-header" },
      h("p", { class: "eyebrow", text: t("worksheetEyebrow") }),
      h("h1", { lang: cs.language, text: cs.title }),
      h("p", { class: "muted" }, [cs.community, label("province", cs.province)].filter(Boolean).join(", "), " · ", h("a", { href: practiceHref(SLUG), text: t("viewPractice") })),
      h("p", { class: "worksheet-intro", text: t("worksheetIntro") }),
    ),
    renderProfileForm(profile),
  );
  if (!isComplete(profile)) {
    box.append(h("p", { class: "notice", text: t("needProfile") }));
    return;
  }
  let answer;
  try {
    answer = await api.practiceFit(SLUG, profileBody(profile, rules));
  } catch (error) {
    box.append(errorNotice(error, render));
    return;
  }
  box.append(
    communitySummary(profile),
    h(
      "div",
      { class: "worksheet-columns" },
      elements(t("coreHeading"), cs.sections["core-elements"], t("noCore"), "worksheet-core"),
      elements(t("adaptHeading"), cs.sections["what-can-be-adapted"], t("noAdapt"), "worksheet-adapt"),
    ),
    criteriaTable(answer.fit),
    h("section", { class: "worksheet-overall" }, h("h2", { text: t("overallNotes") }), notes("ui_notes_overall", t("overallNotes"))),
    h(
      "div",
      { class: "actions screen-only" },
      h("button", { type: "button", class: "button", onclick: () => window.print(), text: t("printWorksheet") }),
      h("p", { class: "muted", text: t("notesStay") }),
    ),
    h("p", { class: "print-only print-source" }, `${t("source")} ${window.location.origin}${href(profile)}`),
  );
}

async function start() {
  startPage();
  const box = byId("ui_worksheet");
  try {
    const [taxonomy, fitRules, found] = await Promise.all([api.taxonomy(), api.fitRules(), api.practice(SLUG)]);
    useTaxonomy(taxonomy);
    rules = fitRules;
    practice = found;
  } catch (error) {
    box.removeAttribute("aria-busy");
    if (error.status === 404) {
      clear(box).append(h("div", { class: "not-found" }, h("h1", { text: t("notFound") }), h("p", { text: t("notFoundText", { slug: SLUG }) }), h("p", {}, h("a", { href: "/", text: t("searchInstead") }))));
      return;
    }
    clear(box).append(errorNotice(error, start));
    return;
  }
  box.removeAttribute("aria-busy");
  window.addEventListener("popstate", render);
  render();
}

start();
