// How a practice is drawn (its page, the submission preview, the moderation view): the
// case study, its metadata, and transferability factors with their definitions.

import { formatDate, formatNumber, lang, t } from "./i18n.js";
import { h, sanitisedFragment } from "./dom.js";
import { definition, groupOf, groups, label } from "./labels.js";
import { evidenceBadge } from "./results.js";
import { lineageItems } from "./lineage.js";

/** The practice's language when it differs from the page's (for `lang` attributes). */
export function contentLang(p) {
  return p && p.language !== lang() ? p.language : null;
}

// --- metadata ------------------------------------------------------------------------------

function tagsOf(p, vocabulary, ids) {
  const inferred = new Map(
    (p.tags || [])
      .filter((tag) => tag.vocabulary === vocabulary && tag.source === "inferred")
      .map((tag) => [tag.term, tag.evidence || []]),
  );
  return h(
    "ul",
    { class: "tags" },
    ids.map((id) => {
      const words = inferred.get(id);
      if (!words) return h("li", { class: "tag", text: label(vocabulary, id) });
      return h(
        "li",
        { class: "tag tag-inferred", title: t("inferredFrom", { words: words.join(", ") }) },
        label(vocabulary, id),
        h("span", { class: "tag-note", text: ` · ${t("inferred")}` }),
      );
    }),
  );
}

function licenceLink(licence) {
  const match = /^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)$/i.exec(licence || "");
  if (!match) return licence;
  const href = `https://creativecommons.org/licenses/${match[1].toLowerCase()}/${match[2]}/`;
  return h("a", { href, rel: "license noopener", text: licence });
}

function glance(p) {
  const other = contentLang(p);
  const list = h("dl", { class: "glance-list" });
  const row = (name, ...value) => {
    const parts = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
    if (parts.length) list.append(h("div", { class: "glance-row" }, h("dt", { text: name }), h("dd", {}, parts)));
  };
  row(t("community"), p.community ? h("span", { lang: other, text: p.community }) : null);
  row(t("province"), label("province", p.province));
  row(t("communitySize"), p.community_size ? label("community_size", p.community_size) : null);
  row(t("organization"), p.organization ? h("span", { lang: other, text: p.organization }) : null);
  row(t("lip"), p.lip ? h("span", { lang: other, text: p.lip }) : null);
  const years = p.start_year && p.end_year ? `${p.start_year}–${p.end_year}` : p.start_year ? t("since", { year: p.start_year }) : null;
  row(t("when"), years);
  row(t("status"), p.status ? label("status", p.status) : null);
  row(t("sectors"), p.sectors?.length ? tagsOf(p, "sectors", p.sectors) : null);
  row(t("themes"), p.themes?.length ? tagsOf(p, "themes", p.themes) : null);
  row(t("populations"), p.populations?.length ? tagsOf(p, "populations", p.populations) : null);
  row(t("cost"), p.cost ? label("cost", p.cost) : null);
  row(t("evidence"), evidenceBadge(p.evidence));
  row(t("reach"), p.reach !== null && p.reach !== undefined ? formatNumber(p.reach) : null);
  row(t("licence"), licenceLink(p.license));
  const contact = p.contact || {};
  row(
    t("contact"),
    contact.name ? h("span", { class: "block", lang: other, text: contact.name }) : null,
    contact.email ? h("a", { class: "block", href: `mailto:${contact.email}`, text: contact.email }) : null,
    contact.url ? h("a", { class: "block", href: contact.url, rel: "nofollow noopener", text: contact.url }) : null,
  );
  row(
    t("links"),
    p.links?.length
      ? h("ul", { class: "plain-list" }, p.links.map((link) => h("li", {}, h("a", { href: link.url, rel: "nofollow noopener", lang: other, text: link.title }))))
      : null,
  );
  row(t("updated"), p.updated ? formatDate(p.updated) : formatDate(p.updated_at));
  row(t("reviewed"), p.reviewed ? formatDate(p.reviewed) : null);
  const legend = (p.tags || []).some((tag) => tag.source === "inferred" && tag.vocabulary !== "factors")
    ? h("p", { class: "small muted", text: t("inferredLegend") })
    : null;
  return h("section", { class: "glance panel", "aria-labelledby": "ui_glance" }, h("h2", { id: "ui_glance", text: t("atAGlance") }), list, legend);
}

// --- transferability --------------------------------------------------------------------

function factorItem(p, id) {
  const tag = (p.tags || []).find((x) => x.vocabulary === "factors" && x.term === id);
  const inferred = tag && tag.source === "inferred";
  return h(
    "div",
    { class: inferred ? "factor factor-inferred" : "factor" },
    h("dt", {}, label("factors", id), inferred ? h("span", { class: "tag-note", text: ` · ${t("inferred")}` }) : null),
    h("dd", {}, definition("factors", id)),
    inferred ? h("dd", { class: "small muted", text: t("inferredFrom", { words: (tag.evidence || []).map((w) => `“${w}”`).join(", ") }) }) : null,
  );
}

function transferability(p) {
  const ids = p.factors || [];
  const box = h(
    "section",
    { class: "transfer panel", "aria-labelledby": "ui_transfer" },
    h("h2", { id: "ui_transfer", text: t("transferability") }),
    h("p", { class: "muted", text: t("transferabilityIntro") }),
  );
  if (!ids.length) box.append(h("p", { text: t("noFactors") }));
  const known = groups("factors");
  const placed = new Set();
  for (const group of known) {
    const inGroup = ids.filter((id) => groupOf("factors", id) === group.id);
    if (!inGroup.length) continue;
    inGroup.forEach((id) => placed.add(id));
    box.append(
      h(
        "div",
        { class: "factor-group" },
        h("h3", {}, group.label, h("span", { class: "question", text: ` — ${group.question}` })),
        h("dl", { class: "factors" }, inGroup.map((id) => factorItem(p, id))),
      ),
    );
  }
  const rest = ids.filter((id) => !placed.has(id));
  if (rest.length) box.append(h("dl", { class: "factors" }, rest.map((id) => factorItem(p, id))));
  const notes = p.transferability?.notes;
  if (notes) box.append(h("div", { class: "notes" }, h("h3", { text: t("notes") }), h("p", { lang: contentLang(p), text: notes })));
  return box;
}

// --- body -----------------------------------------------------------------------------------

function body(p) {
  const prose = h("div", { class: "prose", lang: contentLang(p) });
  prose.append(sanitisedFragment(p.html));
  const callouts = { "kb-section-core-elements": "coreLabel", "kb-section-what-can-be-adapted": "adaptLabel" };
  for (const [css, key] of Object.entries(callouts)) {
    for (const section of prose.querySelectorAll(`section.${css}`)) {
      const heading = section.querySelector("h2");
      const note = h("p", { class: "callout-label", lang: lang(), text: t(key) });
      if (heading) heading.after(note);
      else section.prepend(note);
    }
  }
  prose.querySelectorAll("table").forEach((table, index) => {
    const wrapper = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("table", { n: index + 1 }), lang: lang() });
    table.replaceWith(wrapper);
    wrapper.append(table);
    table.lang = contentLang(p) || lang();
  });
  return prose;
}

// --- header ---------------------------------------------------------------------------------

function related(p) {
  const items = [];
  const translation = p.translation;
  if (translation) {
    items.push(
      h(
        "li",
        {},
        h("span", { class: "related-kind", text: `${t("colon", { label: t(`translation_${translation.language}`) })} ` }),
        h("a", { href: `/practices/${encodeURIComponent(translation.slug)}?lang=${lang()}`, lang: translation.language, hreflang: translation.language, text: translation.title }),
      ),
    );
  }
  const adapted = p.adapted_from_practice;
  const source = adapted
    ? h("a", { href: `/practices/${encodeURIComponent(adapted.slug)}?lang=${lang()}`, lang: adapted.language !== lang() ? adapted.language : null, text: adapted.title })
    : /^https?:\/\//i.test(p.adapted_from || "")
      ? h("a", { href: p.adapted_from, rel: "nofollow noopener", text: p.adapted_from })
      : p.adapted_from || null;
  if (source) items.push(h("li", {}, h("span", { class: "related-kind", text: `${t("colon", { label: t("adaptedFrom") })} ` }), source));
  items.push(...lineageItems(p));
  return items.length ? h("ul", { class: "related" }, items) : null;
}

/**
 * A practice as its page shows it: header, at-a-glance, transferability and body. The
 * submission preview and the moderation page use this same function, so a preview is
 * exactly the published page. `actions` (a node) goes in the header, `after` at the end.
 */
export function practiceArticle(p, { actions = null, after = [] } = {}) {
  const other = contentLang(p);
  const where = [p.community, label("province", p.province)].filter(Boolean).join(", ");
  const byline = [p.organization, p.lip].filter(Boolean).join(" · ");
  return h(
    "article",
    { class: "practice" },
    h(
      "header",
      { class: "practice-header" },
      h("p", { class: "eyebrow" }, h("span", { lang: other, text: where }), other ? h("span", { class: "badge", text: t(`writtenIn_${other}`) }) : null),
      h("h1", { lang: other, text: p.title }),
      h("p", { class: "lead", lang: other, text: p.summary }),
      byline ? h("p", { class: "byline", lang: other, text: byline }) : null,
      related(p),
      actions,
    ),
    glance(p),
    h("div", { class: "practice-main" }, transferability(p), body(p)),
    after,
  );
}
