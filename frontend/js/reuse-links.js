// "Subscribe to this search" and "Download these results" on the search page: links to
// the feed and the exports with the current text and filters (every page of results).

import { addStrings, t } from "./i18n.js";
import { byId, h } from "./dom.js";
import { exportHref, feedHref } from "./state.js";

addStrings({
  en: {
    reuseHeading: "Reuse these results",
    subscribe: "Subscribe to this search",
    subscribeHint: "(Atom feed of new and updated practices)",
    download: "Download these results:",
    format_csv: "CSV (spreadsheet)",
    format_zip: "Zip of Markdown files",
    format_ndjson: "NDJSON (one JSON record a line)",
    feedTitle: "New and updated practices for this search",
  },
  fr: {
    reuseHeading: "Réutiliser ces résultats",
    subscribe: "S’abonner à cette recherche",
    subscribeHint: "(flux Atom des pratiques nouvelles ou mises à jour)",
    download: "Télécharger ces résultats :",
    format_csv: "CSV (tableur)",
    format_zip: "Zip de fichiers Markdown",
    format_ndjson: "NDJSON (un enregistrement JSON par ligne)",
    feedTitle: "Pratiques nouvelles ou mises à jour pour cette recherche",
  },
});

const FORMATS = ["csv", "zip", "ndjson"];

/** Fill `#ui_reuse` and point the head's feed link at the current search. */
export function renderReuseLinks(state) {
  const feed = feedHref(state);
  const head = byId("ui_feed");
  head.setAttribute("href", feed);
  head.setAttribute("title", t("feedTitle"));
  byId("ui_reuse").replaceChildren(
    h("h3", { class: "reuse-heading", id: "ui_reuse_heading", text: t("reuseHeading") }),
    h(
      "p",
      { class: "reuse-feed" },
      h("a", { href: feed, type: "application/atom+xml", id: "ui_subscribe", text: t("subscribe") }),
      " ",
      h("span", { class: "reuse-hint", text: t("subscribeHint") }),
    ),
    h(
      "div",
      { class: "reuse-downloads" },
      h("span", { id: "ui_download_label", text: t("download") }),
      " ",
      h(
        "ul",
        { "aria-labelledby": "ui_download_label" },
        FORMATS.map((format) =>
          h("li", {}, h("a", { href: exportHref(state, format), download: "", "data-format": format, text: t(`format_${format}`) })),
        ),
      ),
    ),
  );
}
