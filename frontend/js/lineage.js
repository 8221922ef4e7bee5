// Where a practice comes from and who reused it: "Imported from … on … (original)" and
// "Adapted by" (the API's `provenance` and `lineage`), as items of the related list.
import { h } from "./dom.js";
import { formatDate, lang, t } from "./i18n.js";

function practiceLink(one) {
  return h("a", {
    href: `/practices/${encodeURIComponent(one.slug)}?lang=${lang()}`,
    lang: one.language !== lang() ? one.language : null,
    hreflang: one.language,
    text: one.title,
  });
}

function kind(key) {
  return h("span", { class: "related-kind", text: `${t("colon", { label: t(key) })} ` });
}

export function lineageItems(p) {
  const items = [];
  const origin = p.provenance;
  if (origin) {
    const source = /^https?:\/\//i.test(origin.source) ? origin.source.replace(/^https?:\/\//i, "") : origin.source;
    const original = /^https?:\/\//i.test(origin.original_url)
      ? h("a", { href: origin.original_url, rel: "nofollow noopener", text: t("importedOriginal") })
      : null;
    items.push(
      h(
        "li",
        { class: "provenance" },
        `${t("importedFrom", { source, date: formatDate(origin.imported_at) })} `,
        original ? h("span", {}, "(", original, ")") : null,
      ),
    );
  }
  const adaptedBy = p.lineage?.adapted_by || [];
  if (adaptedBy.length) {
    const list = h("ul", { class: "adapted-by" }, adaptedBy.map((one) => h("li", {}, practiceLink(one))));
    items.push(h("li", {}, kind("adaptedBy"), list));
  }
  return items;
}
