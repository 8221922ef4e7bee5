// The facet panel (checkboxes in fieldsets, with counts) and the active-filter chips.

import { FACETS, activeFilters } from "./state.js";
import { formatNumber, lang, t, tn } from "./i18n.js";
import { clear, h } from "./dom.js";
import { groupOf, groups, label, order } from "./labels.js";

const ORDINAL = new Set(["community_size", "evidence", "language", "status"]);
const VISIBLE = 6; // values shown per list before "Show all"
const expanded = new Set();

function fieldId(facet, value) {
  return `ui_f_${facet}_${String(value).replace(/[^A-Za-z0-9-]/g, "_")}`;
}

function sortedValues(facet, counts, selected) {
  const vocabulary = FACETS[facet];
  const values = [...new Set([...Object.keys(counts), ...selected])];
  if (ORDINAL.has(facet)) {
    const ids = order(vocabulary);
    const rank = (v) => (ids.includes(v) ? ids.indexOf(v) : ids.length);
    return values.sort((a, b) => rank(a) - rank(b));
  }
  return values.sort(
    (a, b) =>
      (counts[b] || 0) - (counts[a] || 0) ||
      label(vocabulary, a).localeCompare(label(vocabulary, b), lang()),
  );
}

function option(facet, value, count, checked, onToggle) {
  const id = fieldId(facet, value);
  const input = h("input", { type: "checkbox", id, name: facet, value, class: "facet-check" });
  input.checked = checked;
  input.addEventListener("change", () => onToggle(facet, value, input.checked));
  return h(
    "li",
    { class: "facet-option" },
    input,
    h(
      "label",
      { for: id },
      h("span", { class: "facet-label", text: label(FACETS[facet], value) }),
      h("span", { class: "facet-count", "aria-hidden": "true", text: formatNumber(count) }),
      h("span", { class: "sr-only", text: ` (${tn("countPractices", count)})` }),
    ),
  );
}

function optionList(facet, values, counts, selected, onToggle, open) {
  const shown = open ? values : values.filter((v, i) => i < VISIBLE || selected.has(v));
  const list = h(
    "ul",
    { class: "facet-options" },
    shown.map((v) => option(facet, v, counts[v] || 0, selected.has(v), onToggle)),
  );
  return { list, hidden: values.length - shown.length };
}

function facetFieldset(facet, counts, state, handlers) {
  const selected = new Set(state.filters[facet] || []);
  const values = sortedValues(facet, counts, [...selected]);
  if (!values.length) return null;
  const open = expanded.has(facet);
  const fieldset = h("fieldset", { class: "facet", id: `ui_facet_${facet}` }, h("legend", { text: t(`facet_${facet}`) }));
  let hidden = 0;
  const factorGroups = facet === "factor" ? groups(FACETS[facet]) : [];
  if (factorGroups.length) {
    const byGroup = new Map(factorGroups.map((g) => [g.id, []]));
    const other = [];
    for (const value of values) (byGroup.get(groupOf(FACETS[facet], value)) || other).push(value);
    for (const group of factorGroups) {
      const groupValues = byGroup.get(group.id);
      if (!groupValues.length) continue;
      const part = optionList(facet, groupValues, counts, selected, handlers.onToggle, open);
      hidden += part.hidden;
      fieldset.append(
        h("fieldset", { class: "facet-group" }, h("legend", { text: group.label }),
          h("p", { class: "facet-question", text: group.question }), part.list),
      );
    }
    if (other.length) {
      const part = optionList(facet, other, counts, selected, handlers.onToggle, open);
      hidden += part.hidden;
      fieldset.append(part.list);
    }
  } else {
    const part = optionList(facet, values, counts, selected, handlers.onToggle, open);
    hidden = part.hidden;
    fieldset.append(part.list);
  }
  if (hidden || open) {
    fieldset.append(
      h("button", {
        type: "button",
        class: "link-button facet-more",
        id: `ui_more_${facet}`,
        "aria-expanded": String(open),
        "aria-controls": `ui_facet_${facet}`,
        text: open ? t("showFewer") : t("showAll", { n: formatNumber(values.length) }),
        onclick: () => {
          if (open) expanded.delete(facet);
          else expanded.add(facet);
          handlers.onExpand();
        },
      }),
    );
  }
  return fieldset;
}

/** Re-draw the panel; keyboard focus stays on the control that had it. */
export function renderFacets(container, facets, state, handlers) {
  const focused = document.activeElement && container.contains(document.activeElement) ? document.activeElement.id : "";
  clear(container);
  for (const facet of Object.keys(FACETS)) {
    const fieldset = facetFieldset(facet, (facets && facets[facet]) || {}, state, handlers);
    if (fieldset) container.append(fieldset);
  }
  if (focused) document.getElementById(focused)?.focus();
}

/** Chips for the active filters, each a button that removes it, and "Clear all". */
export function renderChips(container, state, handlers) {
  const filters = activeFilters(state);
  const focused = container.contains(document.activeElement) ? document.activeElement.id : "";
  clear(container);
  container.hidden = filters.length === 0;
  if (!filters.length) return;
  container.append(
    h("h3", { class: "sr-only", text: t("activeFilters") }),
    h(
      "ul",
      { class: "chips" },
      filters.map(({ facet, value }, index) => {
        const text = label(FACETS[facet], value);
        return h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "chip",
              id: `ui_chip_${index}`,
              "aria-label": t("removeFilter", { facet: t(`facet_${facet}`), value: text }),
              onclick: () => handlers.onRemove(facet, value, index),
            },
            h("span", { class: "chip-facet", "aria-hidden": "true", text: `${t("colon", { label: t(`facet_${facet}`) })} ` }),
            h("span", { text }),
            h("span", { class: "chip-x", "aria-hidden": "true", text: "×" }),
          ),
        );
      }),
      h("li", {}, h("button", { type: "button", class: "link-button", id: "ui_clear_all", onclick: handlers.onClear, text: t("clearAll") })),
    ),
  );
  if (focused) document.getElementById(focused)?.focus();
}
