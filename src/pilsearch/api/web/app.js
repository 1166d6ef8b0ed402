/* pilsearch search page: plain JS, no build step, no framework.
 *
 * Safety rule: every piece of text from the API reaches the DOM through textContent or
 * document.createTextNode (see el() and highlighted()); innerHTML is never used, so a title
 * or snippet containing markup is shown as text, not run.
 *
 * Routing is in the URL hash so that a search or a document view can be bookmarked and the
 * browser's back button works:  #/search?q=…&doc_type=…   #/doc/<doc_id>?unit=<unit_id>
 * #/ask  #/similar  (the last two are placeholders until their API exists).
 */
"use strict";

const FILTERS = ["doc_type", "issuer", "validity", "date_from", "date_to", "area", "litigation", "k"];
const FACET_LABELS = { doc_type: "文件类型", issuer: "发布机关", area: "重点领域", validity: "效力" };
const DOC_TYPES = {
  law: "法律",
  regulation: "行政法规",
  judicial_interpretation: "司法解释",
  procuratorial_rule: "检察规范",
  guideline: "指导性文件",
  guiding_case: "指导性案例",
  typical_case: "典型案例",
};
const VALIDITY_CLASS = { "现行有效": "current", "已修改": "amended", "已废止": "repealed" };
const FILTER_LABELS = {
  doc_type: "类型", issuer: "机关", validity: "效力", date_from: "起", date_to: "止",
  area: "领域", litigation: "诉讼", k: "每页",
};
const KEY_STORAGE = "pilsearch-api-key";

const $ = (id) => document.getElementById(id);

/* ---- DOM helpers (the only way text enters the page) ---------------------------------- */
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/* Render text with <mark> around [start, end) spans. Offsets count code points (Python's
 * str indices), so the text is split with Array.from, not indexed as UTF-16. */
function highlighted(text, spans) {
  const chars = Array.from(text || "");
  const fragment = document.createDocumentFragment();
  const sorted = (spans || [])
    .map(([s, e]) => [Math.max(0, s | 0), Math.min(chars.length, e | 0)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at) continue; // overlapping span: keep the first
    if (start > at) fragment.append(document.createTextNode(chars.slice(at, start).join("")));
    fragment.append(el("mark", { text: chars.slice(start, end).join("") }));
    at = end;
  }
  if (at < chars.length) fragment.append(document.createTextNode(chars.slice(at).join("")));
  return fragment;
}

function validityBadge(validity) {
  const cls = VALIDITY_CLASS[validity];
  return cls ? el("span", { class: `badge validity ${cls}`, text: validity }) : null;
}

/* ---- API ------------------------------------------------------------------------------ */
class ApiFailure extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function api(path, retried = false) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers["X-API-Key"] = key;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (err) {
    throw new ApiFailure("无法连接服务器，请稍后重试", "NetworkError", 0);
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = (body && body.error) || {};
  if ((response.status === 401 || response.status === 403) && !retried && error.code !== "WritesDisabled") {
    const entered = window.prompt("此服务器需要 API 密钥（X-API-Key）：");
    if (entered) {
      sessionStorage.setItem(KEY_STORAGE, entered.trim());
      return api(path, true);
    }
  }
  throw new ApiFailure(error.message || `请求失败（${response.status}）`, error.code, response.status);
}

/* ---- feedback ------------------------------------------------------------------------- */
let toastTimer = 0;
function toast(message) {
  const box = $("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 2500);
}

function setStatus(message, isError = false) {
  const box = $("status");
  box.textContent = message || "";
  box.classList.toggle("error", isError);
}

async function copyCitation(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    const area = el("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.dataset.copied = text;
  button.textContent = "已复制";
  setTimeout(() => { button.textContent = "复制引用"; }, 2000);
  toast(`已复制：${text}`);
}

function copyButton(citation) {
  if (!citation) return null;
  return el("button", {
    type: "button",
    class: "copy",
    title: "复制可直接用于文书的引用",
    dataset: { citation },
    onclick: (event) => copyCitation(citation, event.currentTarget),
    text: "复制引用",
  });
}

/* ---- routing -------------------------------------------------------------------------- */
function docHref(docId, unitId) {
  const query = unitId ? `?unit=${encodeURIComponent(unitId)}` : "";
  return `#/doc/${encodeURIComponent(docId)}${query}`;
}

function parseHash() {
  const hash = location.hash.replace(/^#/, "") || "/search";
  const [path, query = ""] = hash.split("?");
  return { path, params: new URLSearchParams(query) };
}

function showMode(mode) {
  for (const name of ["search", "doc", "ask", "similar"]) {
    $(`mode-${name}`).hidden = name !== mode;
  }
  const tab = mode === "doc" ? "search" : mode;
  for (const link of document.querySelectorAll(".modes [role=tab]")) {
    link.setAttribute("aria-selected", String(link.dataset.mode === tab));
  }
}

let lastSearchHash = "#/search";

async function route() {
  const { path, params } = parseHash();
  if (path.startsWith("/doc/")) {
    showMode("doc");
    await showDocument(decodeURIComponent(path.slice("/doc/".length)), params.get("unit"));
  } else if (path === "/ask" || path === "/similar") {
    showMode(path.slice(1));
  } else {
    showMode("search");
    lastSearchHash = location.hash || "#/search";
    $("back").setAttribute("href", lastSearchHash);
    syncForm(params);
    if (params.get("q")) await runSearch(params);
  }
}

/* ---- search --------------------------------------------------------------------------- */
function currentParams() {
  const params = new URLSearchParams();
  const q = $("q").value.trim();
  if (q) params.set("q", q);
  for (const name of FILTERS) {
    const value = $(`f-${name}`).value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function syncForm(params) {
  $("q").value = params.get("q") || "";
  for (const name of FILTERS) $(`f-${name}`).value = params.get(name) || "";
  renderActiveFilters(params);
}

function navigate(params) {
  const target = `#/search?${params.toString()}`;
  if (location.hash === target) route();
  else location.hash = target;
}

function renderActiveFilters(params) {
  const box = $("active-filters");
  box.replaceChildren();
  for (const name of FILTERS) {
    const value = params.get(name);
    if (!value) continue;
    const shown = name === "doc_type" ? DOC_TYPES[value] || value : value;
    box.append(
      el("button", {
        type: "button",
        class: "chip",
        title: "移除此筛选",
        dataset: { filter: name },
        onclick: () => { params.delete(name); navigate(params); },
      }, `${FILTER_LABELS[name]}：${shown} ×`),
    );
  }
}

let searchSeq = 0;
async function runSearch(params) {
  const seq = ++searchSeq;
  setStatus("检索中…");
  $("search-button").disabled = true;
  try {
    const data = await api(`/api/search?${params.toString()}`);
    if (seq !== searchSeq) return;
    renderResults(data, params);
    const total = data.timings_ms && data.timings_ms.total;
    setStatus(`法条 ${data.articles.length} 条，案例 ${data.cases.length} 个` +
      (total ? `（用时 ${Math.round(total)} 毫秒）` : ""));
  } catch (err) {
    if (seq !== searchSeq) return;
    $("results").hidden = true;
    setStatus(err.message, true);
  } finally {
    $("search-button").disabled = false;
  }
}

function renderResults(data, params) {
  $("results").hidden = false;
  $("count-articles").textContent = String(data.articles.length);
  $("count-cases").textContent = String(data.cases.length);
  $("list-articles").replaceChildren(
    ...(data.articles.length ? data.articles.map(articleItem) : [emptyItem("没有匹配的法条")]),
  );
  $("list-cases").replaceChildren(
    ...(data.cases.length ? data.cases.map(caseItem) : [emptyItem("没有匹配的案例")]),
  );
  renderCitations(data.citations || []);
  renderFacets(data.facets || {}, params);
  if (!data.articles.length && data.cases.length) selectTab("cases");
  else if (data.articles.length) selectTab("articles");
}

function emptyItem(text) {
  return el("li", { class: "empty", text });
}

function renderCitations(citations) {
  const box = $("citations");
  box.replaceChildren();
  if (!citations.length) return;
  box.append(el("span", { class: "label", text: "识别到的引用：" }),
    ...citations.map((c) => el("span", { class: "chip static", text: c.raw || c.case_number || "" })));
}

function articleItem(hit) {
  const versions = (hit.versions || []).map((v) =>
    el("a", { href: docHref(v.doc_id, v.unit_id), class: "version" }, `${v.date || "未注明日期"} 版`,
      v.validity ? `（${v.validity}）` : ""));
  return el("li", { class: "hit article", dataset: { unitId: hit.unit_id || "", docId: hit.doc_id || "" } },
    el("div", { class: "hit-head" },
      el("a", { class: "cite", href: docHref(hit.doc_id, hit.unit_id), text: hit.citation || hit.title }),
      validityBadge(hit.validity),
      hit.exact ? el("span", { class: "badge exact", text: "精确引用" }) : null),
    el("p", { class: "snippet" }, highlighted(hit.snippet, hit.highlights)),
    el("div", { class: "meta" },
      [hit.chapter, hit.issuer, hit.date].filter(Boolean).join(" · "),
      versions.length ? el("span", { class: "versions" }, "其他版本：", ...versions) : null),
    el("div", { class: "actions" },
      copyButton(hit.citation),
      el("a", { class: "open", href: docHref(hit.doc_id, hit.unit_id), text: "查看全文" })),
  );
}

function caseItem(hit) {
  const firstUnit = hit.matched_sections && hit.matched_sections[0] && hit.matched_sections[0].unit_id;
  const litigationTags = (hit.litigation || []).map((l) => `${l}公益诉讼`);
  return el("li", { class: "hit case", dataset: { docId: hit.doc_id } },
    el("div", { class: "hit-head" },
      el("a", { class: "cite", href: docHref(hit.doc_id, firstUnit), text: hit.title || hit.citation }),
      hit.case_number ? el("span", { class: "badge number", text: hit.case_number }) : null,
      hit.exact ? el("span", { class: "badge exact", text: "精确引用" }) : null),
    el("p", { class: "snippet" }, highlighted(hit.snippet, hit.highlights)),
    el("div", { class: "meta" },
      [DOC_TYPES[hit.doc_type] || hit.doc_type, hit.issuer, hit.date].filter(Boolean).join(" · "),
      litigationTags.map((t) => el("span", { class: "tag", text: t })),
      (hit.keywords || []).filter((k) => !litigationTags.includes(k)).slice(0, 6)
        .map((k) => el("span", { class: "tag keyword", text: k }))),
    el("div", { class: "sections" }, "命中部分：",
      (hit.matched_sections || []).map((m) =>
        el("a", { class: "chip", href: docHref(hit.doc_id, m.unit_id), text: m.label || m.section }))),
    el("div", { class: "actions" },
      copyButton(hit.citation),
      el("a", { class: "open", href: docHref(hit.doc_id, firstUnit), text: "查看全文" })),
  );
}

function renderFacets(facets, params) {
  const box = $("facets");
  box.replaceChildren();
  const issuers = $("issuers");
  issuers.replaceChildren(...Object.keys(facets.issuer || {}).map((v) => el("option", { value: v })));
  for (const [name, label] of Object.entries(FACET_LABELS)) {
    const values = Object.entries(facets[name] || {});
    if (!values.length) continue;
    const active = params.get(name);
    box.append(el("section", { class: "facet", dataset: { facet: name } },
      el("h3", { text: label }),
      el("ul", {}, values.map(([value, count]) => el("li", {},
        el("button", {
          type: "button",
          class: value === active ? "facet-value active" : "facet-value",
          dataset: { facet: name, value },
          onclick: () => {
            const next = new URLSearchParams(params);
            if (value === active) next.delete(name);
            else next.set(name, value);
            navigate(next);
          },
        },
        el("span", { class: "facet-label", text: facetLabel(name, value) }),
        el("span", { class: "facet-count", text: String(count) })))))));
  }
}

function facetLabel(name, value) {
  if (name === "doc_type") return DOC_TYPES[value] || value;
  if (value === "unknown") return "未标注";
  return value;
}

function selectTab(tab) {
  for (const name of ["articles", "cases"]) {
    $(`tab-${name}`).setAttribute("aria-selected", String(name === tab));
    $(`list-${name}`).hidden = name !== tab;
  }
}

/* ---- document view -------------------------------------------------------------------- */
async function showDocument(docId, unitId) {
  const box = $("doc");
  box.replaceChildren(el("p", { class: "loading", text: "正在载入全文…" }));
  let doc;
  try {
    doc = await api(`/api/documents/${encodeURIComponent(docId)}${unitId ? `?unit=${encodeURIComponent(unitId)}` : ""}`);
  } catch (err) {
    box.replaceChildren(el("p", { class: "status error", text: err.message }));
    return;
  }
  const header = el("header", { class: "doc-head" },
    el("h2", { text: doc.title || doc.doc_id }),
    el("div", { class: "meta" },
      validityBadge(doc.validity),
      doc.case_number ? el("span", { class: "badge number", text: doc.case_number }) : null,
      [DOC_TYPES[doc.doc_type] || doc.doc_type, doc.issuer, doc.doc_number, doc.date].filter(Boolean).join(" · ")),
    doc.citation ? el("div", { class: "actions" }, el("span", { class: "doc-citation", text: doc.citation }), copyButton(doc.citation)) : null,
    doc.versions && doc.versions.length
      ? el("div", { class: "versions" }, "其他版本：", doc.versions.map((v) =>
        el("a", { class: "version", href: docHref(v.doc_id) }, `${v.date || "未注明日期"} 版`, v.validity ? `（${v.validity}）` : "")))
      : null,
  );
  const body = el("div", { class: "doc-body" });
  let heading = "";
  let target = null;
  for (const unit of doc.units) {
    const place = [unit.part, unit.chapter, unit.section && doc.kind === "statute" ? unit.section : null].filter(Boolean).join(" ");
    if (doc.kind === "statute" && place && place !== heading) {
      body.append(el("h3", { class: "chapter", text: place }));
      heading = place;
    }
    const node = el("section", {
      class: unit.highlighted ? "unit highlighted" : "unit",
      dataset: { unitId: unit.unit_id },
      tabindex: "-1",
    },
    el("h4", {}, unit.label || "", doc.kind === "statute" ? copyButton(unit.citation) : null),
    unit.text.split("\n").filter((line) => line.trim()).map((line) => el("p", { text: line })));
    if (unit.highlighted) target = node;
    body.append(node);
  }
  box.replaceChildren(header, body);
  if (target) {
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  } else {
    window.scrollTo(0, 0);
  }
}

/* ---- wiring --------------------------------------------------------------------------- */
function init() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(currentParams());
  });
  $("apply-filters").addEventListener("click", () => navigate(currentParams()));
  $("clear-filters").addEventListener("click", () => {
    for (const name of FILTERS) $(`f-${name}`).value = "";
    navigate(currentParams());
  });
  for (const button of document.querySelectorAll(".tabs [role=tab]")) {
    button.addEventListener("click", () => selectTab(button.dataset.tab));
  }
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", init);
