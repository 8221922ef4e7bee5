// The access token of a contributor or moderator: typed once per browser session, checked
// with GET /api/me, kept in sessionStorage only (gone when the browser closes), never in a URL.

import * as api from "./api.js";
import { t } from "./i18n.js";
import { h } from "./dom.js";

const KEY = "lipkb.token";
const RANK = { contributor: 1, moderator: 2, admin: 3 };

function stored() {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the token lasts as long as the page
  }
}

function keep(token) {
  try {
    if (token) window.sessionStorage.setItem(KEY, token);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // not kept; the page still works until it is left
  }
}

let session = null; // {token, name, role}

export function token() {
  return session?.token || null;
}

export function allows(role) {
  return Boolean(session) && (RANK[session.role] || 0) >= RANK[role];
}

/** Forget the token (signed out, or the API no longer accepts it). */
export function forget() {
  session = null;
  keep(null);
}

/** The session from an earlier visit in this browser session, if its token still works. */
export async function resume() {
  const saved = stored();
  if (!saved) return null;
  try {
    session = { token: saved, ...(await api.me(saved)) };
  } catch (error) {
    if (error.status === 401) keep(null);
    session = null;
  }
  return session;
}

/** The sign-in form, or who is signed in with a "Sign out" button. */
export function sessionPanel(onChange) {
  if (session) {
    return h(
      "div",
      { class: "session panel" },
      h("p", { text: t("signedInAs", { name: session.name, role: t(`role_${session.role}`) }) }),
      h("button", {
        type: "button",
        class: "button button-secondary button-small",
        text: t("signOut"),
        onclick: () => {
          forget();
          onChange();
        },
      }),
    );
  }
  const input = h("input", { id: "ui_token", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "ui_token_help ui_token_error" });
  const error = h("p", { class: "field-error", id: "ui_token_error" });
  const form = h(
    "form",
    { class: "session panel", id: "ui_signin", novalidate: true },
    h("h2", { text: t("signInHeading") }),
    h("label", { for: "ui_token", text: t("tokenLabel") }),
    h("p", { class: "help", id: "ui_token_help", text: t("tokenHelp") }),
    input,
    error,
    h("button", { type: "submit", class: "button", text: t("signIn") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    try {
      if (!value) throw new api.ApiError(401, "");
      session = { token: value, ...(await api.me(value)) };
      keep(value);
      onChange();
    } catch (failure) {
      error.textContent = failure.status === 401 ? t("tokenRefused") : t("apiDown");
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  });
  return form;
}
