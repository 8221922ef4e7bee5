// Taxonomy labels, definitions and groups in the page language (from /api/taxonomy).
// Without the taxonomy (the API failed), ids are shown in a readable form instead.

import { lang } from "./i18n.js";

let vocabularies = {};
const index = new Map(); // "vocabulary/id" -> term

export function useTaxonomy(taxonomy) {
  vocabularies = (taxonomy && taxonomy.vocabularies) || {};
  index.clear();
  for (const [name, vocabulary] of Object.entries(vocabularies)) {
    for (const term of vocabulary.terms || []) index.set(`${name}/${term.id}`, term);
  }
}

function pick(bilingual) {
  if (!bilingual) return "";
  return bilingual[lang()] || bilingual.en || "";
}

function readable(id) {
  const text = String(id).replace(/[-_]+/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function term(vocabulary, id) {
  return index.get(`${vocabulary}/${id}`) || null;
}

/** False only for an id the loaded taxonomy does not have (say, a mistyped URL). */
export function isKnown(vocabulary, id) {
  return !vocabulary || !index.size || index.has(`${vocabulary}/${id}`);
}

export function label(vocabulary, id) {
  if (!vocabulary) return id; // a value without a vocabulary (a licence id) is its own label
  const found = term(vocabulary, id);
  return found ? pick(found.label) : readable(id);
}

/** The name of a vocabulary itself ("Sector"), in the page language. */
export function vocabularyLabel(vocabulary) {
  return pick(vocabularies[vocabulary]?.label) || readable(vocabulary);
}

export function definition(vocabulary, id) {
  return pick(term(vocabulary, id)?.definition);
}

/** Ids in the taxonomy's own order (used for ordinal vocabularies such as evidence). */
export function order(vocabulary) {
  return (vocabularies[vocabulary]?.terms || []).map((t) => t.id);
}

/** `[{id, label, question}]` of a vocabulary with groups (transferability factors). */
export function groups(vocabulary) {
  return (vocabularies[vocabulary]?.groups || []).map((g) => ({
    id: g.id,
    label: pick(g.label),
    question: pick(g.question),
  }));
}

export function groupOf(vocabulary, id) {
  return term(vocabulary, id)?.group || null;
}
