// "My submissions": what the signed-in contributor sent, with its status and the
// moderator's reason.

import * as api from "./api.js";
import { formatDate, t } from "./i18n.js";
import { byId, h } from "./dom.js";
import { errorNotice } from "./page.js";
import { pager } from "./pager.js";

/** The section; `loadMine` fills it. */
export function mineSection() {
  return h("section", { class: "mine", "aria-labelledby": "ui_mine_heading" }, h("h2", { id: "ui_mine_heading", text: t("mySubmissions") }), h("div", { id: "ui_mine" }));
}

export async function loadMine(token, page = 1) {
  const box = byId("ui_mine");
  try {
    const { total, items } = await api.submissions(token, new URLSearchParams({ page: String(page) }));
    if (!items.length) return box.replaceChildren(h("p", { class: "muted", text: t("noSubmissions") }));
    const row = (s) =>
      h(
        "tr",
        {},
        h("td", { text: s.title }),
        h("td", { text: t(`kind_${s.kind}`) }),
        h("td", {}, h("span", { class: `badge status-${s.status}`, text: t(`status_${s.status}`) })),
        h("td", { text: formatDate(s.submitted_at) }),
        h("td", { text: s.reason || "" }),
      );
    const head = ["colTitle", "colKind", "colStatus", "colSubmitted", "colReason"].map((key) => h("th", { scope: "col", text: t(key) }));
    box.replaceChildren(
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("mySubmissions") }, h("table", { class: "data-table" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, items.map(row)))),
      pager({ total, page, label: t("minePages"), onPage: (n) => loadMine(token, n) }),
    );
  } catch (error) {
    box.replaceChildren(errorNotice(error, () => loadMine(token)));
  }
}
