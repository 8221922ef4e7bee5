// The moderation page (`/moderate`, `/moderate?id=...`): the queue of submissions with its
// filters, and one submission (diff, preview, tags) to approve or reject with a reason.

import "./strings-contrib.js";
import * as api from "./api.js";
import * as auth from "./auth.js";
import { applyStrings, formatDate, lang, otherLang, t } from "./i18n.js";
import { byId, h } from "./dom.js";
import { label, order, useTaxonomy } from "./labels.js";
import { errorNotice, renderLanguageSwitch, startPage } from "./page.js";
import { pager } from "./pager.js";
import { practiceArticle } from "./practice-view.js";
import { decisionForm, diffView } from "./review.js";

const FILTERS = {
  status: ["pending", "approved", "rejected"],
  kind: ["new", "edit"],
  language: ["en", "fr"],
  province: null, // from the taxonomy
};
const root = byId("ui_moderate");

function params() {
  return new URLSearchParams(window.location.search);
}

function pageHref(language, changes = {}) {
  const next = params();
  next.set("lang", language);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return `/moderate?${next}`;
}

function go(changes) {
  window.history.pushState(null, "", pageHref(lang(), changes));
  render();
}

function valueLabel(name, value) {
  if (name === "province") return label("province", value);
  if (name === "language") return t(`language_${value}`);
  return t(`${name}_${value}`);
}

function filters() {
  const current = params();
  const form = h("form", { class: "queue-filters", id: "ui_filters", role: "search", "aria-label": t("filtersLabel") });
  for (const [name, fixed] of Object.entries(FILTERS)) {
    const values = fixed || order(name);
    const id = `ui_filter_${name}`;
    const select = h("select", { id, name }, h("option", { value: "", text: t("any") }), values.map((v) => h("option", { value: v, text: valueLabel(name, v) })));
    select.value = current.get(name) ?? (name === "status" ? "pending" : "");
    form.append(h("div", { class: "field" }, h("label", { for: id, text: t(`filter_${name}`) }), select));
  }
  form.addEventListener("change", (event) => go({ [event.target.name]: event.target.value || (event.target.name === "status" ? "all" : ""), id: "", page: "" }));
  return form;
}

async function queue() {
  const query = new URLSearchParams();
  const current = params();
  for (const name of Object.keys(FILTERS)) {
    const value = current.get(name) ?? (name === "status" ? "pending" : "");
    if (value && value !== "all") query.set(name, value);
  }
  const page = Math.max(1, Number.parseInt(current.get("page") || "1", 10) || 1);
  query.set("page", String(page));
  const box = h("div", { id: "ui_queue", "aria-busy": "true" });
  root.replaceChildren(filters(), box);
  try {
    const { total, items } = await api.submissions(auth.token(), query);
    const head = ["colTitle", "colKind", "colLanguage", "colProvince", "colBy", "colSubmitted", "colStatus"].map((key) => h("th", { scope: "col", text: t(key) }));
    const row = (s) =>
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: pageHref(lang(), { id: s.id }), "data-id": s.id, text: s.title, onclick: (e) => (e.preventDefault(), go({ id: s.id })) })),
        h("td", { text: t(`kind_${s.kind}`) }),
        h("td", { text: t(`language_${s.language}`) }),
        h("td", { text: label("province", s.province) }),
        h("td", { text: s.submitted_by }),
        h("td", { text: formatDate(s.submitted_at) }),
        h("td", {}, h("span", { class: `badge status-${s.status}`, text: t(`status_${s.status}`) })),
      );
    box.replaceChildren(
      h("h2", { id: "ui_queue_heading", text: t("queueCount", { n: total }) }),
      items.length
        ? h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-labelledby": "ui_queue_heading" }, h("table", { class: "data-table" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, items.map(row))))
        : h("p", { class: "muted", text: t("queueEmpty") }),
      pager({ total, page, label: t("queuePages"), onPage: (n) => go({ page: String(n) }) }),
    );
  } catch (error) {
    box.replaceChildren(errorNotice(error, render));
  }
  box.removeAttribute("aria-busy");
}

async function decide(action) {
  try {
    const item = await action();
    root.replaceChildren(
      h("div", { class: "notice notice-success" }, h("h2", { id: "ui_decided", tabindex: "-1", text: t(`decided_${item.status}`, { title: item.title }) })),
      h("p", {}, h("a", { class: "button", href: pageHref(lang(), { id: "" }), onclick: (e) => (e.preventDefault(), go({ id: "" })), text: t("backToQueue") })),
    );
    byId("ui_decided").focus();
    return null;
  } catch (error) {
    return error.errors?.length ? error.errors.map((e) => `${e.field}: ${e.message}`).join(" ") : error.detail || t("apiDown");
  }
}

async function one(id) {
  root.replaceChildren(h("p", { class: "muted", text: t("loadingSubmission") }));
  try {
    const item = await api.submission(auth.token(), id);
    const meta = h(
      "dl",
      { class: "glance-list submission-meta" },
      [
        [t("colKind"), t(`kind_${item.kind}`)],
        [t("colStatus"), t(`status_${item.status}`)],
        [t("colBy"), item.submitted_by],
        [t("colSubmitted"), formatDate(item.submitted_at)],
        item.reason ? [t("colReason"), item.reason] : null,
      ]
        .filter(Boolean)
        .map(([name, value]) => h("div", { class: "glance-row" }, h("dt", { text: name }), h("dd", { text: value }))),
    );
    const token = auth.token();
    root.replaceChildren(
      h("p", { class: "back" }, h("a", { href: pageHref(lang(), { id: "" }), onclick: (e) => (e.preventDefault(), go({ id: "" })), text: t("backToQueue") })),
      h("h2", { id: "ui_item_heading", tabindex: "-1", text: t("reviewing", { title: item.title }) }),
      meta,
      item.diff ? diffView(item.diff) : null,
      item.status === "pending" ? decisionForm(item, { onApprove: (d) => decide(() => api.approve(token, id, d)), onReject: (r) => decide(() => api.reject(token, id, r)) }) : null,
      h("section", { class: "preview", "aria-labelledby": "ui_preview_heading" }, h("h2", { id: "ui_preview_heading", text: t("previewHeading") }), h("div", { class: "preview-frame" }, item.practice ? practiceArticle(item.practice) : null)),
    );
  } catch (error) {
    root.replaceChildren(errorNotice(error, render));
  }
}

function render() {
  renderLanguageSwitch(pageHref(otherLang()), () => {
    window.history.pushState(null, "", pageHref(lang()));
    render();
  });
  document.title = `${t("moderateHeading")} — ${t("site")}`;
  byId("ui_session").replaceChildren(auth.sessionPanel(render));
  if (!auth.token()) return root.replaceChildren();
  if (!auth.allows("moderator")) return root.replaceChildren(h("p", { class: "notice notice-error", role: "alert", text: t("needsModerator") }));
  const id = params().get("id");
  return id ? one(id) : queue();
}

async function start() {
  startPage();
  applyStrings();
  window.history.replaceState(null, "", pageHref(lang()));
  window.addEventListener("popstate", render);
  const [tax] = await Promise.allSettled([api.taxonomy(), auth.resume()]);
  useTaxonomy(tax.status === "fulfilled" ? tax.value : null);
  byId("ui_main").removeAttribute("aria-busy");
  render();
}

start();
