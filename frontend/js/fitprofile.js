// The community profile and weights: in the URL (so an assessment is a link to share), as
// a form, and as the body of the fit API; and one criterion's verdict as icon and text.

import { t } from "./i18n.js";
import { h } from "./dom.js";
import { groups, label, order } from "./labels.js";

// Query parameters of the profile; the search filters keep their own names (`province`...).
const P = { province: "our_province", size: "our_size", francophone: "francophone", partner: "partner", resource: "resource", weight: "w_" };
const ICONS = { supports: "✓", concern: "!", unknown: "?" };

export function readProfile(search = window.location.search) {
  const params = new URLSearchParams(search);
  const weights = {};
  for (const [key, value] of params) {
    if (key.startsWith(P.weight) && /^[0-3]$/.test(value)) weights[key.slice(P.weight.length)] = Number(value);
  }
  const list = (name) => [...new Set(params.getAll(name).filter((v) => v && v.length <= 100))].slice(0, 50);
  return {
    province: params.get(P.province) || "",
    community_size: params.get(P.size) || "",
    francophone_minority: params.get(P.francophone) === "1",
    partners: list(P.partner),
    resources: list(P.resource),
    weights,
  };
}

export function isComplete(profile) {
  return Boolean(profile.province && profile.community_size);
}

/** Append the profile's parameters to `params` (a URLSearchParams). */
export function profileParams(profile, params = new URLSearchParams()) {
  if (profile.province) params.set(P.province, profile.province);
  if (profile.community_size) params.set(P.size, profile.community_size);
  if (profile.francophone_minority) params.set(P.francophone, "1");
  for (const id of profile.partners) params.append(P.partner, id);
  for (const id of profile.resources) params.append(P.resource, id);
  for (const [group, weight] of Object.entries(profile.weights)) params.set(`${P.weight}${group}`, String(weight));
  return params;
}

/** The profile as `POST /api/fit` and `/api/practices/{slug}/fit` take it. */
export function profileBody(profile, rules) {
  const weights = {};
  for (const group of rules.groups) weights[group] = profile.weights[group] ?? rules.default_weight;
  const { province, community_size, francophone_minority, partners, resources } = profile;
  return { province, community_size, francophone_minority, partners, resources, weights };
}

/** The text of an `{en, fr}` pair in a language. */
export function pick(bilingual, language) {
  return bilingual[language] || bilingual.en;
}

/** A criteria group's label (the taxonomy's factor group). */
export function groupLabel(id) {
  return groups("factors").find((g) => g.id === id)?.label || id;
}

function select(id, text, vocabulary, value) {
  const control = h("select", { id, name: id, required: true }, h("option", { value: "", text: t("choose") }));
  for (const termId of order(vocabulary)) {
    control.append(h("option", { value: termId, selected: termId === value, text: label(vocabulary, termId) }));
  }
  return h("div", { class: "field" }, h("label", { for: id, text }), control);
}

function checkboxes(name, legend, offers, chosen, language) {
  return h(
    "fieldset",
    { class: "field choices" },
    h("legend", { text: legend }),
    offers.map((offer) =>
      h(
        "label",
        { class: "choice" },
        h("input", { type: "checkbox", name, value: offer.id, checked: chosen.includes(offer.id) }),
        h("span", { text: pick(offer.label, language) }),
      ),
    ),
  );
}

function weightFieldset(group, rules, profile, language) {
  const current = profile.weights[group.id] ?? rules.default_weight;
  const questionId = `ui_q_${group.id}`;
  return h(
    "fieldset",
    { class: "weight", "aria-describedby": questionId },
    h("legend", { text: group.label }),
    h("p", { class: "weight-question", id: questionId, text: group.question }),
    h(
      "div",
      { class: "weight-levels" },
      rules.weights.map((level) =>
        h(
          "label",
          { class: "choice" },
          h("input", { type: "radio", name: `${P.weight}${group.id}`, value: String(level.value), checked: level.value === current }),
          h("span", { text: pick(level.label, language) }),
        ),
      ),
    ),
  );
}

/** The profile form; `onSubmit(profile, form)` gets the profile the form describes. */
export function profileForm(rules, profile, language, { onSubmit, submitText, extra = null }) {
  const form = h(
    "form",
    { class: "fit-form", id: "ui_fit_form", novalidate: true },
    h(
      "div",
      { class: "fit-form-row" },
      select("ui_our_province", t("yourProvince"), "province", profile.province),
      select("ui_our_size", t("yourSize"), "community_size", profile.community_size),
    ),
    h(
      "label",
      { class: "choice" },
      h("input", { type: "checkbox", id: "ui_francophone", checked: profile.francophone_minority }),
      h("span", { text: t("francophone") }),
    ),
    checkboxes("partner", t("partnersLegend"), rules.partners, profile.partners, language),
    checkboxes("resource", t("resourcesLegend"), rules.resources, profile.resources, language),
    h(
      "fieldset",
      { class: "field weights" },
      h("legend", { text: t("weightsLegend") }),
      groups("factors").filter((g) => rules.groups.includes(g.id)).map((g) => weightFieldset(g, rules, profile, language)),
    ),
    extra,
    h("button", { class: "button", type: "submit", text: submitText }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const weights = {};
    for (const group of rules.groups) weights[group] = Number(data.get(`${P.weight}${group}`) ?? rules.default_weight);
    onSubmit(
      {
        province: form.querySelector("#ui_our_province").value,
        community_size: form.querySelector("#ui_our_size").value,
        francophone_minority: form.querySelector("#ui_francophone").checked,
        partners: data.getAll("partner"),
        resources: data.getAll("resource"),
        weights,
      },
      form,
    );
  });
  return form;
}

/** One criterion's verdict: an icon and the verdict in words (never colour alone), the reason. */
export function verdict(criterion, language) {
  return h(
    "div",
    { class: `verdict verdict-${criterion.verdict}` },
    h(
      "p",
      { class: "verdict-label" },
      h("span", { class: "verdict-icon", "aria-hidden": "true", text: ICONS[criterion.verdict] }),
      h("strong", { text: t(`verdict_${criterion.verdict}`) }),
    ),
    h("p", { class: "verdict-reason", text: pick(criterion.reason, language) }),
  );
}

/** The question a criterion asks, from the rules. */
export function criterionTitle(rules, id, language) {
  const found = rules.criteria.find((c) => c.id === id);
  return found ? pick(found.title, language) : id;
}
