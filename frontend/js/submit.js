// The contribution page (`/submit`, `/submit?edits=slug`): sign in with a token, fill the
// form (or upload a Markdown file), see every problem beside its field as you type, preview
// the practice exactly as its page will show it, submit, and follow "my submissions".

import "./strings-contrib.js";
import * as api from "./api.js";
import * as auth from "./auth.js";
import { applyStrings, lang, otherLang, t } from "./i18n.js";
import { byId, h } from "./dom.js";
import { bodyTemplate, collect, fill, isTemplate } from "./fields.js";
import { buildFields, linkRow, showProblems } from "./form.js";
import { useTaxonomy } from "./labels.js";
import { loadMine, mineSection } from "./mine.js";
import { errorNotice, later, renderLanguageSwitch, startPage } from "./page.js";
import { practiceArticle } from "./practice-view.js";

const MAX_FILE = 1024 * 1024;
const edits = new URLSearchParams(window.location.search).get("edits") || null;
const root = byId("ui_submit");
let taxonomy = null;
let editing = null; // the published practice an edit starts from
let draft = null; // the form's values when the language is switched
let touched = new Set();
let latest = null; // the last answer of /api/validate: {practice, warnings} or {errors}
let controller = null;

/** The form's values, to fill the form again once it is drawn anew (language, sign-in). */
function keepDraft() {
  if (!form()) return;
  const values = collect(form());
  draft = { ...values, factors: values.transferability?.factors };
}

function pageHref(language) {
  const params = new URLSearchParams({ lang: language });
  if (edits) params.set("edits", edits);
  return `/submit?${params}`;
}

const form = () => byId("ui_form");

function announce(text) {
  byId("ui_status").textContent = text;
}

/** A revoked or expired token: back to the sign-in form, which says why. */
function signedOut(error) {
  if (error.status !== 401) return false;
  keepDraft();
  auth.forget();
  render();
  announce(t("tokenRefused"));
  return true;
}

function problemsOf(error) {
  return error.errors?.length ? error.errors : [{ field: "", message: error.detail || t("apiDown") }];
}

function visible(errors, all) {
  return all ? errors : errors.filter((e) => [...touched].some((name) => String(e.field || "").startsWith(name)));
}

async function check(all = false) {
  if (!form()) return latest; // submitted, or signed out, meanwhile
  controller?.abort();
  controller = new AbortController();
  try {
    const answer = await api.validate(auth.token(), collect(form()), edits, controller.signal);
    latest = { practice: answer.practice, warnings: answer.warnings || [], errors: [] };
  } catch (error) {
    if (error.name === "AbortError" || signedOut(error)) return latest;
    latest = { practice: null, warnings: [], errors: problemsOf(error) };
  }
  if (!form()) return latest;
  const shown = visible(latest.errors, all);
  showProblems(form(), byId("ui_summary"), shown);
  byId("ui_warnings").replaceChildren(...latest.warnings.map((w) => h("li", { text: typeof w === "string" ? w : `${w.field ? `${w.field}: ` : ""}${w.message}` })));
  announce(latest.errors.length ? t("problemsHeading", { n: latest.errors.length }) : t("looksGood"));
  if (!byId("ui_preview").hidden) showPreview();
  return latest;
}

const checkSoon = later(600, () => check());

function showPreview() {
  const box = byId("ui_preview");
  box.hidden = false;
  const body = latest?.practice ? practiceArticle(latest.practice) : h("p", { text: t("previewNeedsFixes") });
  box.replaceChildren(h("h2", { id: "ui_preview_heading", tabindex: "-1", text: t("previewHeading") }), h("div", { class: "preview-frame" }, body));
}

async function onPreview() {
  await check(true);
  showPreview();
  byId("ui_preview_heading").focus();
}

async function onSubmit(event) {
  event.preventDefault();
  try {
    const created = await api.submit(auth.token(), collect(form()), edits);
    checkSoon.cancel();
    controller?.abort();
    renderDone(created);
  } catch (error) {
    if (signedOut(error)) return;
    showProblems(form(), byId("ui_summary"), problemsOf(error));
    byId("ui_summary_heading")?.focus();
  }
}

async function onUpload(event) {
  const file = event.target.files[0];
  const note = byId("ui_upload_note");
  if (!file) return;
  if (file.size > MAX_FILE) {
    note.textContent = t("fileTooLarge");
    return;
  }
  const text = await file.text();
  try {
    const answer = await api.validate(auth.token(), text, edits);
    fill(form(), answer.practice, (link) => linkRow(form().querySelector(".links-list"), link));
    touched = new Set(["title"]);
    note.textContent = t("fileFilled", { name: file.name });
    showProblems(form(), byId("ui_summary"), []);
    check(true);
  } catch (error) {
    note.textContent = t("fileProblems", { name: file.name });
    showProblems(form(), byId("ui_summary"), problemsOf(error), { withLines: true });
    byId("ui_summary_heading")?.focus();
  }
}

function renderDone(created) {
  root.replaceChildren(
    h(
      "section",
      { class: "notice notice-success", "aria-labelledby": "ui_done" },
      h("h2", { id: "ui_done", tabindex: "-1", text: t("submittedHeading") }),
      h("p", { text: t("submittedText", { id: created.id }) }),
      h("p", {}, h("a", { class: "button", href: `/submit?lang=${lang()}`, text: t("submitAnother") })),
    ),
    mineSection(),
  );
  byId("ui_done").focus();
  loadMine(auth.token());
}

function renderForm() {
  const language = editing?.language || draft?.language || lang();
  const fields = buildFields();
  const upload = h(
    "div",
    { class: "upload panel" },
    h("label", { for: "ui_file", text: t("uploadLabel") }),
    h("p", { class: "help", id: "ui_file_help", text: t("uploadHelp") }),
    h("input", { id: "ui_file", type: "file", accept: ".md,.markdown,text/markdown,text/plain", "aria-describedby": "ui_file_help ui_upload_note", onchange: onUpload }),
    h("p", { class: "upload-note", id: "ui_upload_note", role: "status" }),
  );
  const element = h(
    "form",
    { id: "ui_form", class: "submission-form", novalidate: true, onsubmit: onSubmit },
    h("div", { id: "ui_summary", class: "notice notice-error problem-summary", hidden: true }),
    h("ul", { id: "ui_warnings", class: "warnings" }),
    fields,
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "button", class: "button button-secondary", id: "ui_preview_button", text: t("preview"), onclick: onPreview }),
      h("button", { type: "submit", class: "button", id: "ui_send", text: edits ? t("sendEdit") : t("send") }),
    ),
  );
  root.replaceChildren(upload, element, h("section", { id: "ui_preview", class: "preview", "aria-labelledby": "ui_preview_heading", hidden: true }), mineSection());
  const start = draft || editing;
  if (start) fill(element, start, (link) => linkRow(element.querySelector(".links-list"), link));
  else {
    byId("f_language").value = language;
    byId("f_body").value = bodyTemplate(language);
  }
  element.addEventListener("input", (event) => {
    const name = event.target.closest("[data-field]")?.dataset.field;
    if (name) touched.add(name);
    if (name === "language" && isTemplate(byId("f_body").value)) byId("f_body").value = bodyTemplate(event.target.value);
    checkSoon();
  });
  element.addEventListener("change", () => checkSoon());
  loadMine(auth.token());
}

function render() {
  renderLanguageSwitch(pageHref(otherLang()), () => {
    keepDraft();
    window.history.pushState(null, "", pageHref(lang()));
    render();
  });
  const heading = editing ? t("editHeading", { title: editing.title }) : t("submitHeading");
  document.title = `${heading} — ${t("site")}`;
  byId("ui_heading").textContent = heading;
  byId("ui_intro").textContent = t(editing ? "editIntro" : "submitIntro");
  byId("ui_session").replaceChildren(auth.sessionPanel(render));
  if (!auth.token()) return root.replaceChildren();
  renderForm();
}

async function start() {
  startPage();
  applyStrings();
  window.history.replaceState(null, "", pageHref(lang()));
  const [tax, , practice] = await Promise.allSettled([api.taxonomy(), auth.resume(), edits ? api.practice(edits) : null]);
  taxonomy = tax.status === "fulfilled" ? tax.value : null;
  useTaxonomy(taxonomy);
  editing = practice.status === "fulfilled" ? practice.value : null;
  byId("ui_main").removeAttribute("aria-busy");
  if (!taxonomy || (edits && !editing)) {
    render();
    root.replaceChildren(errorNotice(tax.reason || practice.reason, () => window.location.reload()));
    return;
  }
  render();
}

start();
