// Every string of the interface, in English and French, and the page language.
// Taxonomy labels are not here: they come from /api/taxonomy (see labels.js).

export const LANGS = ["en", "fr"];
const STORAGE_KEY = "lipkb.lang";

const STRINGS = {
  en: {
    site: "LIP Practices Knowledge Base",
    tagline:
      "Promising practices for welcoming newcomers, shared by Local Immigration Partnerships across Canada.",
    skip: "Skip to main content",
    otherLang: "Français",
    otherLangLabel: "Lire cette page en français",
    footer: "Every practice can be downloaded as Markdown or JSON and reused under its licence.",
    apiDocs: "API documentation",
    // search page
    searchTitle: "Search promising practices",
    searchHeading: "Find a practice that could work in your community",
    searchLabel: "Search practices",
    searchHint: "Describe a need, a place or a group: for example “employment mentoring for refugee women”.",
    searchPlaceholder: "e.g. mentoring for refugee women in a small town",
    searchButton: "Search",
    filters: "Filters",
    showFilters: "Filters",
    activeCount: "{n} active",
    facet_sector: "Sector",
    facet_factor: "Transferability factors",
    facet_theme: "Theme",
    facet_population: "Population served",
    facet_province: "Province or territory",
    facet_community_size: "Community size",
    facet_evidence: "Evidence",
    facet_language: "Language of the practice",
    facet_status: "Status",
    facet_license: "Licence",
    showAll: "Show all {n}",
    showFewer: "Show fewer",
    countPractices: ["no practice", "1 practice", "{n} practices"],
    activeFilters: "Active filters",
    colon: "{label}:",
    removeFilter: "Remove filter {facet}: {value}",
    clearAll: "Clear all filters",
    sortLabel: "Sort by",
    sort_relevance: "Relevance",
    sort_newest: "Newest",
    sort_title: "Title (A–Z)",
    resultsHeading: ["No practices", "1 practice", "{n} practices"],
    resultsFor: "for “{q}”",
    announce: ["No practice found", "1 practice found", "{n} practices found"],
    announcePage: "page {page} of {pages}",
    announceClosest: ["", "1 practice close in meaning shown", "{n} practices close in meaning shown"],
    pagination: "Pages of results",
    previous: "Previous",
    next: "Next",
    pageN: "Page {n}",
    currentPage: "Page {n}, current page",
    loading: "Searching…",
    droppedWords: "No practice contains {words}: these results match your other words.",
    noResults: "No practice matches your search",
    noResultsQuery: "No practice matches “{q}” with these filters.",
    tryRemoving: "Try removing a filter:",
    tryWords: "Check the spelling, or try fewer or more general words.",
    clearQuery: "Search without words",
    closestHeading: "Closest in meaning",
    closestIntro: "None of these contains your words, but they are about something close to what you asked.",
    where: "Where",
    sectors: "Sectors",
    factors: "Transferability",
    evidence: "Evidence",
    moreTags: "+{n} more",
    writtenIn_en: "In English",
    writtenIn_fr: "In French",
    // errors
    apiDown: "The knowledge base cannot be reached right now.",
    apiDownHelp: "Check your connection, then try again in a moment.",
    apiError: "Something went wrong on our side: {detail}",
    badRequest: "This search could not be run: {detail}",
    retry: "Try again",
    // practice page
    practiceTitle: "{title} — LIP Practices Knowledge Base",
    backToSearch: "Back to search",
    backToResults: "Back to results",
    atAGlance: "At a glance",
    community: "Community",
    province: "Province or territory",
    communitySize: "Community size",
    organization: "Organization",
    lip: "Local Immigration Partnership",
    when: "When",
    since: "Since {year}",
    status: "Status",
    themes: "Themes",
    populations: "Populations served",
    cost: "Cost",
    reach: "People reached",
    licence: "Licence",
    contact: "Contact",
    links: "Links",
    updated: "Updated",
    reviewed: "Last reviewed",
    revision: "Revision {n}",
    transferability: "Transferability factors",
    transferabilityIntro: "What a community needs to reuse this practice, as its authors describe it.",
    notes: "Notes",
    noFactors: "No transferability factor has been recorded for this practice yet.",
    inferred: "inferred",
    inferredFrom: "Inferred from the text ({words}); not yet confirmed by a moderator.",
    inferredLegend: "Dashed tags were inferred from the text and are not yet confirmed.",
    coreLabel: "Keep these: they are what makes the practice work.",
    adaptLabel: "Change these to fit your community.",
    similar: "Similar practices",
    noSimilar: "No similar practice yet.",
    translation_en: "English version",
    translation_fr: "French version",
    adaptedFrom: "Adapted from",
    adaptedBy: "Adapted by",
    importedFrom: "Imported from {source} on {date}",
    importedOriginal: "original",
    actions: "Share and reuse",
    downloadMd: "Download Markdown",
    downloadJson: "Download JSON",
    print: "Print",
    fitLink: "Assess fit for my community",
    copyLink: "Copy link",
    copied: "Link copied",
    source: "Source:",
    notFound: "Practice not found",
    notFoundText: "No practice has the address “{slug}”. It may have been renamed or removed.",
    withdrawn: "Practice withdrawn",
    withdrawnText: "The practice “{slug}” was withdrawn by the moderators and is no longer published.",
    searchInstead: "Search the knowledge base",
    table: "Table {n}, scrollable",
    loadingPractice: "Loading the practice…",
  },
  fr: {
    site: "Base de connaissances des pratiques des PLI",
    tagline:
      "Des pratiques prometteuses pour accueillir les nouveaux arrivants, partagées par les partenariats locaux en matière d’immigration du Canada.",
    skip: "Passer au contenu principal",
    otherLang: "English",
    otherLangLabel: "Read this page in English",
    footer: "Chaque pratique peut être téléchargée en Markdown ou en JSON et réutilisée selon sa licence.",
    apiDocs: "Documentation de l’API",
    searchTitle: "Rechercher des pratiques prometteuses",
    searchHeading: "Trouvez une pratique qui pourrait fonctionner dans votre collectivité",
    searchLabel: "Rechercher des pratiques",
    searchHint: "Décrivez un besoin, un lieu ou un groupe : par exemple « mentorat en emploi pour femmes réfugiées ».",
    searchPlaceholder: "p. ex. mentorat pour femmes réfugiées en petite ville",
    searchButton: "Rechercher",
    filters: "Filtres",
    showFilters: "Filtres",
    activeCount: "{n} actif(s)",
    facet_sector: "Secteur",
    facet_factor: "Facteurs de transférabilité",
    facet_theme: "Thème",
    facet_population: "Population desservie",
    facet_province: "Province ou territoire",
    facet_community_size: "Taille de la collectivité",
    facet_evidence: "Niveau de preuve",
    facet_language: "Langue de la pratique",
    facet_status: "Statut",
    facet_license: "Licence",
    showAll: "Afficher les {n}",
    showFewer: "Afficher moins",
    countPractices: ["aucune pratique", "1 pratique", "{n} pratiques"],
    activeFilters: "Filtres actifs",
    colon: "{label} :",
    removeFilter: "Retirer le filtre {facet} : {value}",
    clearAll: "Effacer tous les filtres",
    sortLabel: "Trier par",
    sort_relevance: "Pertinence",
    sort_newest: "Plus récentes",
    sort_title: "Titre (A à Z)",
    resultsHeading: ["Aucune pratique", "1 pratique", "{n} pratiques"],
    resultsFor: "pour « {q} »",
    announce: ["Aucune pratique trouvée", "1 pratique trouvée", "{n} pratiques trouvées"],
    announcePage: "page {page} sur {pages}",
    announceClosest: ["", "1 pratique proche par le sens affichée", "{n} pratiques proches par le sens affichées"],
    pagination: "Pages de résultats",
    previous: "Précédente",
    next: "Suivante",
    pageN: "Page {n}",
    currentPage: "Page {n}, page actuelle",
    loading: "Recherche en cours…",
    droppedWords: "Aucune pratique ne contient {words} : ces résultats correspondent à vos autres mots.",
    noResults: "Aucune pratique ne correspond à votre recherche",
    noResultsQuery: "Aucune pratique ne correspond à « {q} » avec ces filtres.",
    tryRemoving: "Essayez de retirer un filtre :",
    tryWords: "Vérifiez l’orthographe, ou essayez des mots moins nombreux ou plus généraux.",
    clearQuery: "Chercher sans mots",
    closestHeading: "Les plus proches par le sens",
    closestIntro: "Aucune de ces pratiques ne contient vos mots, mais elles portent sur un sujet proche de votre demande.",
    where: "Où",
    sectors: "Secteurs",
    factors: "Transférabilité",
    evidence: "Niveau de preuve",
    moreTags: "+{n} autres",
    writtenIn_en: "En anglais",
    writtenIn_fr: "En français",
    apiDown: "La base de connaissances est injoignable pour le moment.",
    apiDownHelp: "Vérifiez votre connexion, puis réessayez dans un instant.",
    apiError: "Un problème est survenu de notre côté : {detail}",
    badRequest: "Cette recherche n’a pas pu être lancée : {detail}",
    retry: "Réessayer",
    practiceTitle: "{title} — Base de connaissances des pratiques des PLI",
    backToSearch: "Retour à la recherche",
    backToResults: "Retour aux résultats",
    atAGlance: "En bref",
    community: "Collectivité",
    province: "Province ou territoire",
    communitySize: "Taille de la collectivité",
    organization: "Organisme",
    lip: "Partenariat local en matière d’immigration",
    when: "Période",
    since: "Depuis {year}",
    status: "Statut",
    themes: "Thèmes",
    populations: "Populations desservies",
    cost: "Coût",
    reach: "Personnes rejointes",
    licence: "Licence",
    contact: "Personne-ressource",
    links: "Liens",
    updated: "Mise à jour",
    reviewed: "Dernière révision",
    revision: "Version {n}",
    transferability: "Facteurs de transférabilité",
    transferabilityIntro: "Ce dont une collectivité a besoin pour reprendre cette pratique, selon ses auteurs.",
    notes: "Remarques",
    noFactors: "Aucun facteur de transférabilité n’a encore été indiqué pour cette pratique.",
    inferred: "déduit",
    inferredFrom: "Déduit du texte ({words}); pas encore confirmé par une personne modératrice.",
    inferredLegend: "Les étiquettes en pointillés ont été déduites du texte et ne sont pas encore confirmées.",
    coreLabel: "À conserver : c’est ce qui fait fonctionner la pratique.",
    adaptLabel: "À adapter selon votre collectivité.",
    similar: "Pratiques semblables",
    noSimilar: "Aucune pratique semblable pour l’instant.",
    translation_en: "Version anglaise",
    translation_fr: "Version française",
    adaptedFrom: "Adaptée de",
    adaptedBy: "Adaptée par",
    importedFrom: "Importée de {source} le {date}",
    importedOriginal: "version originale",
    actions: "Partager et réutiliser",
    downloadMd: "Télécharger en Markdown",
    downloadJson: "Télécharger en JSON",
    print: "Imprimer",
    fitLink: "Évaluer l’adéquation à ma collectivité",
    copyLink: "Copier le lien",
    copied: "Lien copié",
    source: "Source :",
    notFound: "Pratique introuvable",
    notFoundText: "Aucune pratique ne porte l’adresse « {slug} ». Elle a peut-être été renommée ou retirée.",
    withdrawn: "Pratique retirée",
    withdrawnText: "La pratique « {slug} » a été retirée par les modérateurs et n’est plus publiée.",
    searchInstead: "Chercher dans la base de connaissances",
    table: "Tableau {n}, défilant",
    loadingPractice: "Chargement de la pratique…",
  },
};

/** Add a module's strings (`{en: {...}, fr: {...}}`); pages import those modules first. */
export function addStrings(table) {
  for (const language of LANGS) Object.assign(STRINGS[language], table[language]);
}

let current = "en";

export function lang() {
  return current;
}

export function otherLang() {
  return current === "fr" ? "en" : "fr";
}

/** The page language: the URL's `lang`, else the remembered choice, else the browser's. */
export function resolveLang(fromUrl) {
  if (LANGS.includes(fromUrl)) return fromUrl;
  let stored = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null; // storage can be disabled; the URL still carries the choice
  }
  if (LANGS.includes(stored)) return stored;
  return (navigator.language || "").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function setLang(value) {
  current = LANGS.includes(value) ? value : "en";
  document.documentElement.lang = current;
  try {
    window.localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // not remembered; nothing else depends on it
  }
}

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

/** A string of the interface in the page language, with `{name}` placeholders filled. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return fill(Array.isArray(text) ? text[2] : text, vars);
}

/** A counted string: [zero, one, many] forms. */
export function tn(key, n) {
  const forms = STRINGS[current][key];
  const form = n === 0 ? forms[0] : n === 1 ? forms[1] : forms[2];
  return fill(form, { n: formatNumber(n) });
}

export function formatNumber(n) {
  return new Intl.NumberFormat(current === "fr" ? "fr-CA" : "en-CA").format(n);
}

export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  if (!match) return iso || "";
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return new Intl.DateTimeFormat(current === "fr" ? "fr-CA" : "en-CA", {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(date);
}

export function formatList(items) {
  return new Intl.ListFormat(current === "fr" ? "fr-CA" : "en-CA", {
    style: "long",
    type: "conjunction",
  }).format(items);
}

/** Fill every `data-i18n` element of the static shell (text) and `data-i18n-*` attributes. */
export function applyStrings(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const attr of ["placeholder", "aria-label", "title"]) {
    const key = `data-i18n-${attr}`;
    for (const node of root.querySelectorAll(`[${key}]`)) node.setAttribute(attr, t(node.getAttribute(key)));
  }
}
