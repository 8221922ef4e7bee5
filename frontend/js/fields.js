import { t } from "./i18n.js";
import { vocabularyLabel } from "./labels.js";

// The front-matter fields of a case study (content/README.md), as the submission form asks
// for them: required ones first. A field's `name` is its path in the JSON body (and in the
// API's error `field`); `vocabulary` names the taxonomy list its values come from.

export const FIELDS = [
  { name: "title", kind: "text", required: true, maxlength: 200 },
  { name: "summary", kind: "textarea", required: true, maxlength: 600, rows: 3 },
  { name: "province", kind: "select", vocabulary: "province", required: true },
  { name: "language", kind: "select", vocabulary: "language" },
  { name: "sectors", kind: "checkboxes", vocabulary: "sectors", required: true },
  { name: "body", kind: "body", required: true },
  { name: "community", kind: "text", maxlength: 200 },
  { name: "community_size", kind: "select", vocabulary: "community_size" },
  { name: "organization", kind: "text", maxlength: 300 },
  { name: "lip", kind: "text", maxlength: 300 },
  { name: "themes", kind: "checkboxes", vocabulary: "themes" },
  { name: "populations", kind: "checkboxes", vocabulary: "populations" },
  { name: "transferability.factors", kind: "checkboxes", vocabulary: "factors" },
  { name: "transferability.notes", kind: "textarea", maxlength: 2000, rows: 3 },
  { name: "evidence", kind: "select", vocabulary: "evidence" },
  { name: "cost", kind: "select", vocabulary: "cost" },
  { name: "reach", kind: "integer" },
  { name: "start_year", kind: "integer" },
  { name: "end_year", kind: "integer" },
  { name: "status", kind: "select", vocabulary: "status" },
  { name: "contact.name", kind: "text", maxlength: 200 },
  { name: "contact.email", kind: "email", maxlength: 254 },
  { name: "contact.url", kind: "url" },
  { name: "links", kind: "links" },
  { name: "updated", kind: "date" },
  { name: "reviewed", kind: "date" },
  { name: "license", kind: "text", placeholder: "CC-BY-4.0" },
  { name: "adapted_from", kind: "text", maxlength: 2000 },
  { name: "translation_of", kind: "text" },
  { name: "slug", kind: "text" },
];

/** A field's name for people: the taxonomy's for a vocabulary, else the interface's. */
export function fieldTitle(name) {
  const field = FIELDS.find((f) => f.name === name);
  if (field?.vocabulary) return vocabularyLabel(field.vocabulary);
  const text = t(`field_${name}`);
  return text === `field_${name}` ? name : text;
}

/** The element id of a field (ids of the page itself all contain "_"). */
export function fieldId(name) {
  return `f_${name.replace(/\./g, "-")}`;
}

const SECTIONS = {
  en: ["Context", "What was done", "Outcomes", "Transferability", "Core elements", "What can be adapted", "Lessons learned", "Resources"],
  fr: ["Contexte", "Description", "Résultats", "Transférabilité", "Éléments essentiels", "Éléments adaptables", "Leçons apprises", "Ressources"],
};

/** The body a new entry starts with: the recommended section headings, in its language. */
export function bodyTemplate(language) {
  return (SECTIONS[language] || SECTIONS.en).map((heading) => `## ${heading}\n\n`).join("\n");
}

export function isTemplate(text) {
  return Object.keys(SECTIONS).some((language) => text.trim() === bodyTemplate(language).trim());
}

function put(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = value;
}

function get(source, path) {
  return path.split(".").reduce((node, part) => (node == null ? undefined : node[part]), source);
}

/** The JSON body from the form's values: empty fields left out, a non-number kept as typed
 *  (the API then says what is wrong with it, beside the field). */
export function collect(form) {
  const out = {};
  for (const field of FIELDS) {
    if (field.kind === "checkboxes") {
      // the author's order first (as filled), so that an edit changes no list it did not touch
      const first = (form.querySelector(`#${CSS.escape(fieldId(field.name))}`).dataset.order || "").split(",");
      const rank = (value) => (first.includes(value) ? first.indexOf(value) : first.length);
      const values = [...form.querySelectorAll(`input[name="${field.name}"]:checked`)].map((box) => box.value);
      values.sort((a, b) => rank(a) - rank(b));
      if (values.length) put(out, field.name, values);
    } else if (field.kind === "links") {
      const links = [...form.querySelectorAll(".link-row")]
        .map((row) => ({ title: row.querySelector("[data-part=title]").value.trim(), url: row.querySelector("[data-part=url]").value.trim() }))
        .filter((link) => link.title || link.url);
      if (links.length) out.links = links;
    } else {
      const control = form.querySelector(`#${CSS.escape(fieldId(field.name))}`);
      const raw = field.kind === "body" ? control.value : control.value.trim();
      if (!raw.trim()) continue;
      put(out, field.name, field.kind === "integer" && /^-?\d+$/.test(raw) ? Number(raw) : raw);
    }
  }
  return out;
}

/** Fill the form from a practice (the API's shape): only the author's own tags, not inferred ones. */
export function fill(form, practice, addLinkRow) {
  const inferred = new Set((practice.tags || []).filter((tag) => tag.source === "inferred").map((tag) => `${tag.vocabulary}/${tag.term}`));
  for (const field of FIELDS) {
    const value = field.name === "transferability.factors" ? practice.factors : get(practice, field.name);
    if (field.kind === "checkboxes") {
      const vocabulary = field.vocabulary;
      const own = (value || []).filter((term) => !inferred.has(`${vocabulary}/${term}`));
      const chosen = new Set(own);
      form.querySelector(`#${CSS.escape(fieldId(field.name))}`).dataset.order = own.join(",");
      for (const box of form.querySelectorAll(`input[name="${field.name}"]`)) box.checked = chosen.has(box.value);
    } else if (field.kind === "links") {
      form.querySelectorAll(".link-row").forEach((row) => row.remove());
      for (const link of value || []) addLinkRow(link);
    } else {
      form.querySelector(`#${CSS.escape(fieldId(field.name))}`).value = value ?? "";
    }
  }
}
