// The submission form, generated from FIELDS and the taxonomy (labels and definitions in the
// page language), and the API's problems shown beside their fields and in a summary.

import { t } from "./i18n.js";
import { h } from "./dom.js";
import { FIELDS, fieldId, fieldTitle } from "./fields.js";
import { definition, label, order } from "./labels.js";

function help(field) {
  const text = t(`help_${field.name}`);
  return text === `help_${field.name}` ? null : text;
}

function fieldLabel(field) {
  return [fieldTitle(field.name), field.required ? h("span", { class: "required", text: ` (${t("required")})` }) : null];
}

function describedBy(id, hasHelp) {
  return [hasHelp ? `h_${id}` : null, `e_${id}`].filter(Boolean).join(" ");
}

function choice(field, id) {
  const select = h("select", { id, name: field.name, "aria-describedby": describedBy(id, true), required: field.required || null });
  select.append(h("option", { value: "", text: field.required ? t("choose") : t("notSaid") }));
  for (const term of order(field.vocabulary)) select.append(h("option", { value: term, text: label(field.vocabulary, term) }));
  const note = h("p", { class: "help", id: `h_${id}` });
  const explain = () => {
    note.textContent = select.value ? definition(field.vocabulary, select.value) : help(field) || "";
  };
  select.addEventListener("change", explain);
  explain();
  return [select, note];
}

function checkboxes(field, id) {
  const note = help(field);
  return h(
    "fieldset",
    { class: "field field-choices", id, "data-field": field.name, "aria-describedby": describedBy(id, Boolean(note)) },
    h("legend", {}, fieldLabel(field)),
    note ? h("p", { class: "help", id: `h_${id}`, text: note }) : null,
    h(
      "ul",
      { class: "choices" },
      order(field.vocabulary).map((term) => {
        const box = `${id}-${term}`;
        return h(
          "li",
          {},
          h("input", { type: "checkbox", id: box, name: field.name, value: term, "aria-describedby": `d_${box}` }),
          h("label", { for: box, text: label(field.vocabulary, term) }),
          h("span", { class: "help", id: `d_${box}`, text: definition(field.vocabulary, term) }),
        );
      }),
    ),
    h("p", { class: "field-error", id: `e_${id}` }),
  );
}

export function linkRow(list, link = { title: "", url: "" }) {
  const n = list.children.length;
  const row = h(
    "li",
    { class: "link-row" },
    h("label", { for: `f_links-${n}-title`, text: t("linkTitle", { n: n + 1 }) }),
    h("input", { id: `f_links-${n}-title`, "data-part": "title", value: link.title, "aria-describedby": `e_f_links-${n}-title` }),
    h("p", { class: "field-error", id: `e_f_links-${n}-title` }),
    h("label", { for: `f_links-${n}-url`, text: t("linkUrl", { n: n + 1 }) }),
    h("input", { id: `f_links-${n}-url`, "data-part": "url", type: "url", value: link.url, "aria-describedby": `e_f_links-${n}-url` }),
    h("p", { class: "field-error", id: `e_f_links-${n}-url` }),
  );
  list.append(row);
  return row;
}

function links(field, id) {
  const list = h("ol", { class: "links-list" });
  return h(
    "fieldset",
    { class: "field", id, "data-field": field.name, "aria-describedby": describedBy(id, true) },
    h("legend", { text: fieldTitle(field.name) }),
    h("p", { class: "help", id: `h_${id}`, text: help(field) }),
    list,
    h("p", { class: "field-error", id: `e_${id}` }),
    h("button", { type: "button", class: "button button-secondary button-small", text: t("addLink"), onclick: () => linkRow(list).querySelector("input").focus() }),
  );
}

function control(field, id) {
  const props = { id, name: field.name, maxlength: field.maxlength, placeholder: field.placeholder, required: field.required || null, "aria-describedby": describedBy(id, Boolean(help(field))) };
  if (field.kind === "body") return h("textarea", { ...props, rows: 24, class: "body-editor", spellcheck: "true" });
  if (field.kind === "textarea") return h("textarea", { ...props, rows: field.rows });
  const type = { integer: "text", email: "email", url: "url", date: "date" }[field.kind] || "text";
  return h("input", { ...props, type, inputmode: field.kind === "integer" ? "numeric" : null });
}

/** Every field of the form, in FIELDS order. */
export function buildFields() {
  return FIELDS.map((field) => {
    const id = fieldId(field.name);
    if (field.kind === "checkboxes") return checkboxes(field, id);
    if (field.kind === "links") return links(field, id);
    const note = help(field);
    const parts = field.kind === "select" ? choice(field, id) : [control(field, id), note ? h("p", { class: "help", id: `h_${id}`, text: note }) : null];
    return h("div", { class: `field field-${field.kind}`, "data-field": field.name }, h("label", { for: id }, fieldLabel(field)), parts, h("p", { class: "field-error", id: `e_${id}` }));
  });
}

/** The control an API error `field` belongs to ("links.0.url", "transferability.factors.2"). */
function targetOf(form, field) {
  const parts = String(field || "").replace(/\[(\d+)\]/g, ".$1").split(".");
  while (parts.length) {
    const found = form.querySelector(`#${CSS.escape(fieldId(parts.join(".")))}`);
    if (found) return found;
    parts.pop();
  }
  return null;
}

/** Show `errors` beside their fields (aria-invalid) and list them all in `summary`. */
export function showProblems(form, summary, errors, { withLines = false } = {}) {
  form.querySelectorAll(".field-error").forEach((node) => (node.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  summary.replaceChildren();
  summary.hidden = !errors.length;
  if (!errors.length) return;
  const items = errors.map((error) => {
    const target = targetOf(form, error.field);
    const text = [error.message, error.suggestion ? t("didYouMean", { value: error.suggestion }) : null].filter(Boolean).join(" ");
    if (target) {
      const slot = form.querySelector(`#e_${CSS.escape(target.id)}`);
      if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      target.setAttribute("aria-invalid", "true");
    }
    const field = FIELDS.find((f) => String(error.field || "").startsWith(f.name));
    const where = [withLines && error.line ? t("lineN", { n: error.line }) : null, field ? fieldTitle(field.name) : error.field].filter(Boolean).join(", ");
    const line = where ? `${where}: ${text}` : text;
    return h("li", {}, target ? h("a", { href: `#${target.id}`, text: line }) : line);
  });
  summary.append(h("h2", { id: "ui_summary_heading", tabindex: "-1", text: t("problemsHeading", { n: errors.length }) }), h("ul", {}, items));
}
