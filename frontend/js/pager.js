// "Previous / Page n of m / Next" under a list the API gives one page at a time.

import { formatNumber, t } from "./i18n.js";
import { h } from "./dom.js";

export const PER_PAGE = 20; // the API's default page size

/** Nothing when everything fits on one page; `onPage(n)` draws page n. */
export function pager({ total, page, label, onPage }) {
  const pages = Math.ceil(total / PER_PAGE);
  if (pages <= 1) return null;
  const button = (text, target) =>
    h("button", { type: "button", class: "button button-secondary button-small", disabled: target < 1 || target > pages || null, onclick: () => onPage(target), text });
  return h(
    "nav",
    { class: "pager", "aria-label": label },
    button(t("previous"), page - 1),
    h("span", { text: t("pageOf", { page: formatNumber(page), pages: formatNumber(pages) }) }),
    button(t("next"), page + 1),
  );
}
