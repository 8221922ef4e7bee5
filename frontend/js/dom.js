// Building the page safely: elements with text content, and the only two ways HTML from
// the API enters the page (highlights; a practice's rendered body), both re-built from
// an inert parse through an allow-list, so no markup is ever assembled from strings.

const SAFE_URL = /^(https?:|mailto:|\/(?!\/)|#|\?)/i;

/** Only http(s), mailto and same-site addresses; anything else (javascript:...) is dropped. */
export function safeUrl(url) {
  const value = String(url ?? "").trim();
  return SAFE_URL.test(value) ? value : null;
}

/** `h("a", {href, class, text}, ...children)`: children are nodes, strings (as text) or arrays. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "href" || key === "src") {
      const url = safeUrl(value);
      if (url) node.setAttribute(key, url);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

function inert(html) {
  // DOMParser documents run no script and load nothing; we only read them.
  return new DOMParser().parseFromString(String(html ?? ""), "text/html").body;
}

/** A search highlight (escaped text and <mark>) as text nodes and <mark> elements only. */
export function highlighted(html) {
  const fragment = document.createDocumentFragment();
  for (const node of inert(html).childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      fragment.append(h("mark", {}, node.textContent));
    } else {
      fragment.append(document.createTextNode(node.textContent));
    }
  }
  return fragment;
}

const BLOCKED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT", "FORM", "SVG", "MATH"]);
const ALLOWED = new Set(
  ("SECTION H2 H3 H4 H5 H6 P UL OL LI A STRONG EM B I CODE PRE BLOCKQUOTE HR BR TABLE THEAD TBODY " +
    "TR TH TD DEL S SPAN SUB SUP DL DT DD").split(" "),
);
const ATTRIBUTES = {
  "*": ["id", "aria-labelledby"],
  A: ["href", "rel", "title"],
  OL: ["start"],
  TH: ["scope", "colspan", "rowspan"],
  TD: ["colspan", "rowspan"],
};
const ALIGN = /text-align:\s*(left|right|center)/;

function copyAllowed(source, target) {
  for (const child of source.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(child.textContent));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE || BLOCKED.has(child.tagName.toUpperCase())) continue;
    const tag = child.tagName.toUpperCase();
    if (!ALLOWED.has(tag)) {
      copyAllowed(child, target); // unknown wrapper: keep its content, drop the element
      continue;
    }
    const copy = document.createElement(tag.toLowerCase());
    for (const name of [...ATTRIBUTES["*"], ...(ATTRIBUTES[tag] || [])]) {
      const value = child.getAttribute(name);
      if (value === null) continue;
      if (name === "href") {
        const url = safeUrl(value);
        if (url) copy.setAttribute("href", url);
      } else if (name === "id" || name === "aria-labelledby") {
        // content ids are slugs; the page's own ids all contain "_", so they never clash
        if (/^[a-z0-9-]+$/.test(value)) copy.setAttribute(name, value);
      } else copy.setAttribute(name, value);
    }
    const classes = (child.getAttribute("class") || "").split(/\s+/).filter((c) => /^kb-[a-z0-9-]+$/.test(c));
    const align = ALIGN.exec(child.getAttribute("style") || "");
    if (align) classes.push(`kb-align-${align[1]}`); // inline styles would break the CSP
    if (classes.length) copy.className = classes.join(" ");
    copyAllowed(child, copy);
    target.append(copy);
  }
}

/** A practice's sanitised HTML (from the API) as nodes, through the allow-list once more. */
export function sanitisedFragment(html) {
  const fragment = document.createDocumentFragment();
  copyAllowed(inert(html), fragment);
  return fragment;
}
