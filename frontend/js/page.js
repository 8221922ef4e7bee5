// What every page shares: language set-up, the language switch, and error notices.

import { applyStrings, lang, otherLang, resolveLang, setLang, t } from "./i18n.js";
import { byId, h } from "./dom.js";

/** Set the page language from the URL (else remembered, else the browser's) and fill the shell. */
export function startPage() {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  setLang(resolveLang(fromUrl));
  applyStrings();
  return lang();
}

/** Point the switch at `href` (the same page in the other language); `onSwitch` handles clicks. */
export function renderLanguageSwitch(href, onSwitch) {
  const link = byId("ui_lang");
  link.textContent = t("otherLang");
  link.setAttribute("href", href);
  link.lang = otherLang();
  link.hreflang = otherLang();
  link.setAttribute("aria-label", t("otherLangLabel"));
  link.onclick = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setLang(otherLang());
    applyStrings();
    onSwitch();
  };
}

/** A clear message for an API that failed, with a button to try again. */
export function errorNotice(error, onRetry) {
  const down = !error || error.unreachable;
  return h(
    "div",
    { class: "notice notice-error", role: "alert" },
    h("p", { class: "notice-title", text: down ? t("apiDown") : t(error.status < 500 ? "badRequest" : "apiError", { detail: error.detail || error.status }) }),
    down ? h("p", { text: t("apiDownHelp") }) : null,
    onRetry ? h("button", { type: "button", class: "button", onclick: onRetry, text: t("retry") }) : null,
  );
}

/** Run `callback` once the user stops for `delay` ms (a debounce). */
export function later(delay, callback) {
  let timer = 0;
  const run = (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => callback(...args), delay);
  };
  run.cancel = () => window.clearTimeout(timer);
  return run;
}
