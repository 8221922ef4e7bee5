// One submission under review: its diff, the inferred tags with the words they came from
// (confirm or drop each), tags to add, and the approve and reject controls.

import { t } from "./i18n.js";
import { h } from "./dom.js";
import { label, order } from "./labels.js";

const VOCABULARIES = ["sectors", "factors"]; // the ones a moderator corrects

/** A unified diff, line by line, marked added or removed (text only, never markup). */
export function diffView(diff) {
  const lines = String(diff).split("\n").map((line) => {
    const kind = line.startsWith("+") && !line.startsWith("+++") ? "diff-add" : line.startsWith("-") && !line.startsWith("---") ? "diff-del" : line.startsWith("@@") ? "diff-hunk" : "";
    return h("span", { class: `diff-line ${kind}`.trim(), text: `${line}\n` });
  });
  return h(
    "section",
    { class: "diff", "aria-labelledby": "ui_diff_heading" },
    h("h3", { id: "ui_diff_heading", text: t("diffHeading") }),
    h("p", { class: "help", text: t("diffHelp") }),
    h("pre", { class: "diff-text", tabindex: "0", role: "region", "aria-label": t("diffHeading") }, lines),
  );
}

function inferredTag(tag, index) {
  const name = `tag-${index}`;
  const option = (value, key) =>
    h("li", {}, h("input", { type: "radio", name, id: `ui_${name}_${value}`, value, checked: value === "keep" || null }), h("label", { for: `ui_${name}_${value}`, text: t(key) }));
  return h(
    "fieldset",
    { class: "inferred-tag", "data-vocabulary": tag.vocabulary, "data-term": tag.term },
    h("legend", {}, `${t(`vocab_${tag.vocabulary}`)}: `, h("strong", { text: label(tag.vocabulary, tag.term) })),
    h("p", { class: "help", text: t("inferredFrom", { words: (tag.evidence || []).map((w) => `“${w}”`).join(", ") }) }),
    h("ul", { class: "choices choices-inline" }, option("keep", "tagKeep"), option("confirm", "tagConfirm"), option("drop", "tagDrop")),
  );
}

function adder(added) {
  const vocabulary = h("select", { id: "ui_add_vocabulary" }, VOCABULARIES.map((v) => h("option", { value: v, text: t(`vocab_${v}`) })));
  const term = h("select", { id: "ui_add_term" });
  const list = h("ul", { class: "added-tags", "aria-live": "polite" });
  const terms = () => term.replaceChildren(...order(vocabulary.value).map((id) => h("option", { value: id, text: label(vocabulary.value, id) })));
  vocabulary.addEventListener("change", terms);
  terms();
  const draw = () =>
    list.replaceChildren(
      ...added.map((tag, i) =>
        h(
          "li",
          { class: "tag" },
          `${t(`vocab_${tag.vocabulary}`)}: ${label(tag.vocabulary, tag.term)} `,
          h("button", { type: "button", class: "button-link", "aria-label": t("removeTag", { term: label(tag.vocabulary, tag.term) }), text: "×", onclick: () => (added.splice(i, 1), draw()) }),
        ),
      ),
    );
  const add = () => {
    if (!added.some((x) => x.vocabulary === vocabulary.value && x.term === term.value)) added.push({ vocabulary: vocabulary.value, term: term.value });
    draw();
  };
  return h(
    "fieldset",
    { class: "add-tags" },
    h("legend", { text: t("addTags") }),
    h("label", { for: "ui_add_vocabulary", text: t("vocabulary") }),
    vocabulary,
    h("label", { for: "ui_add_term", text: t("term") }),
    term,
    h("button", { type: "button", class: "button button-secondary button-small", id: "ui_add_tag", text: t("addTag"), onclick: add }),
    list,
  );
}

/** The decision form: `onApprove({note, tags})`, `onReject(reason)`; both answer an error or null. */
export function decisionForm(item, { onApprove, onReject }) {
  const inferred = (item.practice?.tags || []).filter((tag) => tag.source === "inferred");
  const added = [];
  const status = h("p", { id: "ui_decision_status", role: "status", class: "decision-status" });
  const reason = h("textarea", { id: "ui_reason", rows: 3, maxlength: 2000, "aria-describedby": "ui_reason_help ui_reason_error" });
  const reasonError = h("p", { class: "field-error", id: "ui_reason_error" });
  const note = h("textarea", { id: "ui_note", rows: 2, maxlength: 2000 });
  const decided = () => {
    const confirm = [];
    const drop = [];
    for (const set of document.querySelectorAll(".inferred-tag")) {
      const tag = { vocabulary: set.dataset.vocabulary, term: set.dataset.term };
      const choice = set.querySelector("input:checked")?.value;
      if (choice === "confirm") confirm.push(tag);
      if (choice === "drop") drop.push(tag);
    }
    return { confirm, drop, add: added };
  };
  const approve = async () => {
    const payload = { tags: decided() };
    if (note.value.trim()) payload.note = note.value.trim();
    const failure = await onApprove(payload);
    if (failure) status.textContent = failure;
  };
  const reject = async () => {
    reasonError.textContent = "";
    reason.removeAttribute("aria-invalid");
    if (!reason.value.trim()) {
      reasonError.textContent = t("reasonRequired");
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    const failure = await onReject(reason.value.trim());
    if (failure) status.textContent = failure;
  };
  return h(
    "div",
    { class: "decision" },
    h(
      "section",
      { class: "panel", "aria-labelledby": "ui_tags_heading" },
      h("h3", { id: "ui_tags_heading", text: t("tagsHeading") }),
      inferred.length ? inferred.map(inferredTag) : h("p", { class: "muted", text: t("noInferred") }),
      adder(added),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "ui_approve_heading" },
      h("h3", { id: "ui_approve_heading", text: t("approveHeading") }),
      h("label", { for: "ui_note", text: t("noteLabel") }),
      note,
      h("button", { type: "button", class: "button", id: "ui_approve", text: t("approve"), onclick: approve }),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "ui_reject_heading" },
      h("h3", { id: "ui_reject_heading", text: t("rejectHeading") }),
      h("label", { for: "ui_reason" }, t("reasonLabel"), h("span", { class: "required", text: ` (${t("required")})` })),
      h("p", { class: "help", id: "ui_reason_help", text: t("reasonHelp") }),
      reason,
      reasonError,
      h("button", { type: "button", class: "button button-danger", id: "ui_reject", text: t("reject"), onclick: reject }),
    ),
    status,
  );
}
