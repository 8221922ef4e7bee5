// The "History" section of a practice page: every revision, who made it, when, what changed,
// and a link to its Markdown.

import { formatDate, formatList, t } from "./i18n.js";
import { h } from "./dom.js";
import * as api from "./api.js";
import { fieldTitle } from "./fields.js";

/** `revisions` from GET /api/practices/{slug}/revisions, or null (not loaded: nothing shown). */
export function historySection(slug, revisions) {
  const section = h("section", { class: "history", "aria-labelledby": "ui_history" });
  if (!revisions) return section;
  const item = (r) =>
    h(
      "li",
      {},
      h("a", { href: `${api.practiceUrl(slug)}/revisions/${r.number}`, text: t("revision", { n: r.number }) }),
      ` — ${t("revisionBy", { author: r.author || t("unknownAuthor"), date: formatDate(r.created_at) })}`,
      r.changed?.length ? h("span", { class: "block small", text: t("changedFields", { fields: formatList(r.changed.map(fieldTitle)) }) }) : null,
      r.note ? h("span", { class: "block small muted", text: r.note }) : null,
    );
  section.append(h("h2", { id: "ui_history", text: t("historyHeading") }), h("ol", { class: "history-list", reversed: true }, [...revisions].sort((a, b) => b.number - a.number).map(item)));
  return section;
}
