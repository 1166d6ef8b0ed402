/* pilsearch search page: plain JS, no build step, no framework.
 *
 * Safety rule: every piece of text from the API reaches the DOM through textContent or
 * document.createTextNode (see el() and highlighted()); innerHTML is never used, so a title
 * or snippet containing markup is shown as text, not run.
 *
 * Routing is in the URL hash so that a search or a document view can be bookmarked and the
 * browser's back button works:  #/search?q=…&doc_type=…   #/doc/<doc_id>?unit=<unit_id>
 * #/ask (the conversation stays on the page while a cited document is open)  #/similar
 *
 * Answers stream over Server-Sent Events from POST /api/ask/stream; EventSource cannot POST,
 * so the stream is read with fetch and a ReadableStream and parsed here (readEvents()).
 */
"use strict";

const FILTERS = ["doc_type", "issuer", "validity", "date_from", "date_to", "area", "litigation", "k",
  "level", "date_field", "as_of", "cited"];
const FACET_LABELS = { doc_type: "文件类型", level: "效力级别", issuer: "发布机关", area: "重点领域", validity: "效力" };
const DOC_TYPES = {
  law: "法律",
  regulation: "行政法规",
  judicial_interpretation: "司法解释",
  procuratorial_rule: "检察规范",
  guideline: "指导性文件",
  guiding_case: "指导性案例",
  typical_case: "典型案例",
};
const VALIDITY_CLASS = {
  "现行有效": "current", "已修改": "amended", "已废止": "repealed", "失效": "repealed", "尚未施行": "amended",
};
const FILTER_LABELS = {
  doc_type: "类型", issuer: "机关", validity: "效力", date_from: "起", date_to: "止",
  area: "领域", litigation: "诉讼", k: "每页", level: "效力级别", date_field: "日期类型",
  as_of: "行为时", cited: "被引用",
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

function validityBadge(validity, basis) {
  const cls = VALIDITY_CLASS[validity];
  return cls ? el("span", { class: `badge validity ${cls}`, text: validity, title: basis || "" }) : null;
}

/* 效力级别, and the dates labelled: 公布 (the version date) and 施行 (this version's). */
function levelBadge(level) {
  return level ? el("span", { class: "badge level", text: level }) : null;
}

function labelledDates(item) {
  return [item.date ? `${item.date} 公布` : "", item.effective_date ? `${item.effective_date} 施行` : ""]
    .filter(Boolean).join(" · ");
}

/* The cases citing an article (cited_by): a count that opens their links. */
function citedBy(item) {
  const cases = item.cited_by || [];
  if (!cases.length) return null;
  return el("details", { class: "cited-by" },
    el("summary", { text: `被引用 ${item.cited_count || cases.length} 次` }),
    el("ul", {}, cases.map((c) => el("li", {},
      el("a", { href: docHref(c.doc_id), text: `${c.case_number || ""} ${c.title || ""}`.trim() }),
      c.version ? el("span", { class: "meta", text: `（适用 ${c.version} 版本）` }) : null))));
}

/* The provisions a case cites (provisions): each linked to its article when the index holds it. */
function caseProvisions(item, open) {
  const provisions = item.provisions || [];
  if (!provisions.length) return null;
  const seen = new Set();
  const unique = provisions.filter((p) => !seen.has(p.citation) && seen.add(p.citation));
  return el("details", { class: "provisions", open: open || null },
    el("summary", { text: `援引规定 ${unique.length} 条` }),
    el("ul", {}, unique.map((p) => el("li", {},
      p.unit_id
        ? el("a", { class: p.found ? null : "missing", href: docHref(p.doc_id, p.unit_id), text: p.citation, title: p.note || "" })
        : el("span", { class: "missing", text: p.citation, title: p.note || "" }),
      !p.found && p.note ? el("span", { class: "meta", text: `（${p.note}）` }) : null))));
}

/* Unofficial text (an upload, or a file outside the trusted corpora) says so wherever it shows. */
function provenanceTitle(p) {
  const parts = [p.label || "非官方文本"];
  if (p.official_collision && p.claimed_work) parts.push(`标题与知识库中的官方《${p.claimed_work}》同名，但不是官方文本`);
  if (p.uploader) parts.push(`上传者 ${p.uploader}`);
  if (p.uploaded_at) parts.push(`上传时间 ${p.uploaded_at}`);
  if (p.corpus) parts.push(`来源 ${p.corpus}`);
  return parts.join("；");
}

function provenanceBadge(p) {
  if (!p || p.trusted) return null;
  const text = p.official_collision ? `${p.label || "非官方文本"}（与官方文本同名）` : (p.label || "非官方文本");
  return el("span", { class: "badge unofficial", title: provenanceTitle(p), text });
}

/* ---- API ------------------------------------------------------------------------------ */
class ApiFailure extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function authHeaders(extra) {
  const headers = { ...(extra || {}) };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers["X-API-Key"] = key;
  return headers;
}

/* fetch with the stored API key; on 401/403 ask for a key once and retry. Returns the
 * response when it is OK, throws ApiFailure (with the API's message) otherwise. */
async function send(path, init, retried = false) {
  const headers = authHeaders(init.headers);
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (err) {
    throw new ApiFailure("无法连接服务器，请稍后重试", "NetworkError", 0);
  }
  if (response.ok) return response;
  const body = await response.json().catch(() => null);
  const error = (body && body.error) || {};
  if ((response.status === 401 || response.status === 403) && !retried && error.code !== "WritesDisabled") {
    const entered = window.prompt("此服务器需要 API 密钥（X-API-Key）：");
    if (entered) {
      sessionStorage.setItem(KEY_STORAGE, entered.trim());
      return send(path, init, true);
    }
  }
  throw new ApiFailure(error.message || `请求失败（${response.status}）`, error.code, response.status);
}

async function api(path) {
  const response = await send(path, { headers: { Accept: "application/json" } });
  return response.json();
}

async function postJson(path, body) {
  const response = await send(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function postForm(path, form) {
  const response = await send(path, { method: "POST", headers: { Accept: "application/json" }, body: form });
  return response.json();
}

/* Server-Sent Events from a POST: calls onEvent(type, data) for each event as it arrives. */
async function readEvents(path, body, onEvent) {
  const response = await send(path, {
    method: "POST",
    headers: { Accept: "text/event-stream", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event.type, event.data);
    }
    if (done) break;
  }
}

function parseEvent(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { type, data: data.join("\n") } : null;
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
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.dataset.copied = text;
  button.textContent = "已复制";
  setTimeout(() => { button.textContent = label; }, 2000);
  const shown = Array.from(text);
  toast(`已复制：${shown.length > 60 ? `${shown.slice(0, 60).join("")}…` : text}`);
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

const BACK_LABELS = { search: "← 返回检索结果", ask: "← 返回问答", similar: "← 返回类案" };

/* The document view's back link returns to where the document was opened from. */
function setBack(mode, hash) {
  $("back").setAttribute("href", hash);
  $("back").textContent = BACK_LABELS[mode];
}

async function route() {
  const { path, params } = parseHash();
  if (path.startsWith("/doc/")) {
    showMode("doc");
    await showDocument(decodeURIComponent(path.slice("/doc/".length)), params.get("unit"));
  } else if (path === "/ask" || path === "/similar") {
    const mode = path.slice(1);
    showMode(mode);
    setBack(mode, `#${path}`);
    $(mode === "ask" ? "question" : "similar-text").focus({ preventScroll: true });
  } else {
    showMode("search");
    setBack("search", location.hash || "#/search");
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
  renderRelevance(data);
  renderFacets(data.facets || {}, params);
  selectTab(openingTab(data));
}

/* A query the knowledge base covers poorly (离婚后房产如何分割 on a public-interest index)
 * still gets its nearest results, under a notice that says so. */
function renderRelevance(data) {
  const box = $("relevance");
  const low = data.low_relevance && !(data.citations || []).some((c) => c.found);
  box.hidden = !low;
  box.textContent = low ? "相关度较低：知识库中可能没有与该问题直接相关的法条或案例，以下为最接近的结果，请谨慎参考。" : "";
}

function emptyItem(text) {
  return el("li", { class: "empty", text });
}

/* The citations parsed from the query: each chip opens the cited unit; a citation the
 * knowledge base does not hold is named, with why, above the results. */
function renderCitations(citations) {
  const box = $("citations");
  box.replaceChildren();
  if (!citations.length) return;
  const chips = citations.map((c) => {
    const text = c.raw || c.case_number || "";
    return c.found && c.doc_id
      ? el("a", { class: "chip cited", href: docHref(c.doc_id, c.unit_id), title: "查看被引用的原文", text })
      : el("span", { class: "chip static missing", title: c.message || "", text });
  });
  const missing = citations.filter((c) => !c.found && c.message);
  box.append(el("div", { class: "cited-list" }, el("span", { class: "label", text: "识别到的引用：" }), ...chips),
    ...missing.map((c) => el("p", { class: "notice missing", role: "note", text: `⚠ ${c.message}` })));
}

/* The tab a result opens on: a query naming a case (检例第145号) opens 案例, unless it also
 * cites an article that was found. */
function openingTab(data) {
  const citations = data.citations || [];
  const namesCase = citations.some((c) => c.type === "case");
  const foundArticle = citations.some((c) => c.type === "article" && c.found);
  if (namesCase && !foundArticle) return "cases";
  if (!data.articles.length && data.cases.length) return "cases";
  return "articles";
}

function articleItem(hit) {
  const versions = (hit.versions || []).map((v) =>
    el("a", { href: docHref(v.doc_id, v.unit_id), class: "version" }, `${v.date || "未注明日期"} 版`,
      v.validity ? `（${v.validity}）` : ""));
  return el("li", { class: "hit article", dataset: { unitId: hit.unit_id || "", docId: hit.doc_id || "" } },
    el("div", { class: "hit-head" },
      el("a", { class: "cite", href: docHref(hit.doc_id, hit.unit_id), text: hit.citation || hit.title }),
      levelBadge(hit.level),
      validityBadge(hit.validity, hit.validity_basis),
      provenanceBadge(hit.provenance),
      hit.exact ? el("span", { class: "badge exact", text: "精确引用" }) : null),
    el("p", { class: "snippet" }, highlighted(hit.snippet, hit.highlights)),
    el("div", { class: "meta" },
      [hit.chapter, hit.issuer, labelledDates(hit)].filter(Boolean).join(" · "),
      versions.length ? el("span", { class: "versions" }, "其他版本：", ...versions) : null),
    citedBy(hit),
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
      levelBadge(hit.level),
      provenanceBadge(hit.provenance),
      hit.exact ? el("span", { class: "badge exact", text: "精确引用" }) : null),
    el("p", { class: "snippet" }, highlighted(hit.snippet, hit.highlights)),
    caseProvisions(hit, false),
    el("div", { class: "meta" },
      [DOC_TYPES[hit.doc_type] || hit.doc_type, hit.issuer, hit.date].filter(Boolean).join(" · "),
      litigationTags.map((t) => el("span", { class: "tag", text: t })),
      (hit.keywords || []).filter((k) => !litigationTags.includes(k)).slice(0, 6)
        .map((k) => el("span", { class: "tag keyword", text: k }))),
    alsoSee(hit.also_see),
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
      levelBadge(doc.level),
      validityBadge(doc.validity, doc.validity_basis),
      provenanceBadge(doc.provenance),
      doc.case_number ? el("span", { class: "badge number", text: doc.case_number }) : null,
      [doc.level ? null : DOC_TYPES[doc.doc_type] || doc.doc_type, doc.issuer, doc.doc_number,
        doc.kind === "statute" ? labelledDates(doc) : doc.date].filter(Boolean).join(" · ")),
    doc.validity_basis ? el("p", { class: "validity-basis", text: `效力依据：${doc.validity_basis}` }) : null,
    (doc.history || []).length
      ? el("details", { class: "history" }, el("summary", { text: "制定和修改沿革" }),
        el("ul", {}, doc.history.map((h) => el("li", { text: `${h.date} ${h.kind}${h.text ? `：${h.text}` : ""}` }))))
      : null,
    doc.provenance && !doc.provenance.trusted
      ? el("p", { class: "unofficial-note", role: "note", text: `${provenanceTitle(doc.provenance)}。此文本未经核实，不能作为法律依据引用。` })
      : null,
    doc.citation ? el("div", { class: "actions" }, el("span", { class: "doc-citation", text: doc.citation }), copyButton(doc.citation)) : null,
    doc.versions && doc.versions.length
      ? el("div", { class: "versions" }, "版本：",
        el("span", { class: "version current-doc", text: `${doc.date || "未注明日期"} 版（本页）` }),
        doc.versions.map((v) =>
          el("a", { class: "version", href: docHref(v.doc_id) }, `${v.date || "未注明日期"} 公布`,
            v.effective_date ? ` · ${v.effective_date} 施行` : "", v.validity ? `（${v.validity}）` : "")))
      : null,
    (doc.toc || []).length
      ? el("nav", { class: "toc", "aria-label": "目录" }, el("details", { open: true }, el("summary", { text: "目录" }),
        el("ul", {}, doc.toc.map((t) => el("li", { class: `toc-${t.level}` },
          el("a", { href: docHref(doc.doc_id, t.unit_id), text: t.title }))))))
      : null,
    caseProvisions(doc, true),
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
    unit.text.split("\n").filter((line) => line.trim()).map((line) => el("p", { text: line })),
    citedBy(unit));
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

/* ---- 问答 ask ------------------------------------------------------------------------- */
const STATUS_LABELS = {
  verified: "已核实",
  uploaded: "上传文件，非官方文本，未经核实",
  unofficial: "非官方文本（不在可信语料中），未经核实",
  unknown_marker: "该编号不对应任何检索到的资料",
  not_in_knowledge_base: "知识库中没有该条文或案例",
  quote_mismatch: "引号内文字与知识库中该条文不一致",
};
const WARNING = "⚠";
/* [n] (ASCII or full-width brackets) or the checker's ⚠ after something unverified. */
const ANSWER_TOKEN = /[[［](\d{1,3})[\]］]|⚠/g;
const CLOSING_QUOTES = /[”」"]$/;

const chat = { history: [], busy: false };

function flagTitle(record) {
  if (!record) return `${WARNING} 未经核实`;
  return `${WARNING} 未经核实：${STATUS_LABELS[record.status] || record.status}（${record.status}）`;
}

/* The answer text with [n] as links to the cited unit and each ⚠ (with what it flags) in the
 * warning style; every piece of text goes in as a text node. */
function renderAnswer(result) {
  const sources = new Map((result.sources || []).map((s) => [s.marker, s]));
  const citations = result.citations || [];
  const flagged = citations.filter((c) => !c.verified);
  const fragment = document.createDocumentFragment();
  for (const line of result.answer.split("\n")) {
    if (!line.trim()) continue;
    const para = el("p");
    let text = "";
    let last = null; // the element just written ([n]), so a ⚠ right after it joins it
    let at = 0;
    const flush = () => {
      if (text) para.append(document.createTextNode(text));
      text = "";
    };
    for (const m of line.matchAll(ANSWER_TOKEN)) {
      const between = line.slice(at, m.index);
      at = m.index + m[0].length;
      if (between) { text += between; last = null; }
      if (m[1] !== undefined) {
        flush();
        const n = Number(m[1]);
        const source = sources.get(n);
        const record = citations.find((c) => c.kind === "marker" && c.marker === n);
        last = source && (!record || record.verified)
          ? el("a", {
            class: "marker",
            href: docHref(source.doc_id, source.unit_id),
            title: `${source.citation}（点击查看原文）`,
            dataset: { marker: String(n), unitId: source.unit_id || "" },
            text: `[${n}]`,
          })
          : el("span", { class: "marker unverified", dataset: { marker: String(n) }, text: `[${n}]` });
        para.append(last);
        continue;
      }
      // ⚠: find what it flags — the marker just before it, or a mention/quotation ending here
      let record = null;
      if (last && last.dataset.marker) {
        record = flagged.find((c) => c.kind === "marker" && c.marker === Number(last.dataset.marker));
      }
      const before = text.replace(CLOSING_QUOTES, "");
      if (!record) record = flagged.find((c) => c.raw && before.endsWith(c.raw));
      const flag = el("span", { class: "flag", title: flagTitle(record), text: WARNING });
      if (last) {
        last.classList.add("unverified");
        last.title = flagTitle(record);
        last.after(flag);
      } else {
        // the flagged words (and a closing quote) are the end of the pending text
        const cut = record && record.raw && before.endsWith(record.raw) ? before.length - record.raw.length : text.length;
        const raw = text.slice(cut);
        text = text.slice(0, cut);
        flush();
        para.append(raw
          ? el("span", { class: "unverified", title: flagTitle(record), dataset: { status: record.status } }, raw, flag)
          : flag);
      }
      last = null;
    }
    text += line.slice(at);
    flush();
    fragment.append(para);
  }
  return fragment;
}

function sourceList(sources, heading) {
  if (!sources.length) return null;
  return el("div", { class: "sources" },
    el("h4", { text: heading }),
    el("ol", {}, sources.map((s) => el("li", { dataset: { marker: String(s.marker) } },
      el("span", { class: "source-marker", text: `[${s.marker}]` }),
      el("a", { class: "source", href: docHref(s.doc_id, s.unit_id), text: s.citation || s.title }),
      validityBadge(s.validity),
      provenanceBadge(s.provenance),
      s.text ? el("p", { class: "source-text", text: Array.from(s.text).slice(0, 90).join("") + (Array.from(s.text).length > 90 ? "…" : "") }) : null))));
}

function checksBox(result) {
  const flagged = (result.citations || []).filter((c) => !c.verified);
  if (!flagged.length) return el("p", { class: "checks ok", title: "已核对：每个 [n] 对应的资料、回答中写出的条文和案例编号、引号内的原文", text: "✓ 引用与知识库原文一致（核对的是引用，不是结论）" });
  return el("div", { class: "checks warn", role: "note" },
    el("strong", { text: `${WARNING} 以下引用未经核实，使用前请核对原文：` }),
    el("ul", {}, flagged.map((c) => el("li", { dataset: { status: c.status }, title: c.status },
      `${c.citation || c.raw || `[${c.marker}]`}：${STATUS_LABELS[c.status] || c.status}`))));
}

function renderResult(box, result) {
  box.classList.remove("streaming");
  box.dataset.grounded = String(result.grounded);
  box.dataset.verified = String(result.verified);
  const notices = (result.unresolved_citations || []).map((u) =>
    el("p", { class: "notice unresolved", role: "note", text: `注意：${u.message}` }));
  if (!result.grounded) {
    const message = result.answer.split("\n").find((line) => line.startsWith("知识库中没有找到"));
    box.replaceChildren(
      ...notices,
      el("div", { class: "no-answer" },
        el("p", { class: "no-answer-title", text: message || "知识库中没有找到可以回答该问题的依据。" }),
        el("p", { class: "hint", text: "可以换一种问法，或到「检索」中查找相关法条与案例。" })),
      sourceList(result.sources || [], "最接近的资料"),
    );
    return;
  }
  const meta = [];
  meta.push(result.mode === "generative" ? "生成式回答" : "摘录式回答");
  if (result.low_relevance) meta.push("相关度较低");
  if (result.timings_ms && result.timings_ms.total) meta.push(`服务器用时 ${Math.round(result.timings_ms.total)} 毫秒（含查询向量计算）`);
  box.replaceChildren(
    el("div", { class: "answer-text" }, renderAnswer(result)),
    checksBox(result),
    sourceList(result.sources || [], "资料"),
    el("p", { class: "meta", text: meta.join(" · ") }),
  );
}

async function ask(question) {
  if (chat.busy) return;
  chat.busy = true;
  $("ask-button").disabled = true;
  $("ask-status").textContent = "";
  const list = $("chat");
  list.append(el("li", { class: "turn user" }, el("div", { class: "bubble", text: question })));
  const streamed = el("div", { class: "answer-text" });
  const box = el("div", { class: "bubble answer streaming" }, streamed);
  const turn = el("li", { class: "turn assistant" }, box);
  list.append(turn);
  turn.scrollIntoView({ block: "nearest" });
  const history = chat.history.slice();
  let result = null;
  try {
    await readEvents("/api/ask/stream", { question, history }, (type, data) => {
      if (type === "token") {
        streamed.textContent += data;
      } else if (type === "result") {
        result = JSON.parse(data);
        renderResult(box, result);
      } else if (type === "error") {
        const error = JSON.parse(data);
        throw new ApiFailure(error.message || "回答失败", error.code, 0);
      }
    });
    if (!result) throw new ApiFailure("回答中断，请重试", "StreamEnded", 0);
    chat.history.push({ role: "user", content: question }, { role: "assistant", content: result.answer });
  } catch (err) {
    box.classList.remove("streaming");
    box.classList.add("failed");
    box.replaceChildren(el("p", { class: "status error", text: err.message }));
  } finally {
    chat.busy = false;
    $("ask-button").disabled = false;
    turn.scrollIntoView({ block: "nearest" });
  }
}

function resetChat() {
  chat.history = [];
  $("chat").replaceChildren();
  $("ask-status").textContent = "";
  $("question").value = "";
  $("question").focus();
}

/* ---- 类案 similar --------------------------------------------------------------------- */
function whyRow(label, values, cls) {
  return el("div", { class: "why-row", dataset: { why: cls } },
    el("span", { class: "why-label", text: label }),
    values.length
      ? el("span", { class: "why-values" }, values.map((v) => el("span", { class: `chip static ${cls}`, text: v })))
      : el("span", { class: "why-none", text: "无" }));
}

function comparison(label, data, cls) {
  const shared = data.shared || [];
  if (shared.length) return whyRow(label, shared, cls);
  const note = `本案：${(data.case || []).join("、") || "未标注"}；草稿：${(data.input || []).join("、") || "未识别"}`;
  return el("div", { class: "why-row", dataset: { why: cls } },
    el("span", { class: "why-label", text: label }), el("span", { class: "why-none", text: note }));
}

function copyTextButton(text, label, cls) {
  return el("button", {
    type: "button",
    class: `copy ${cls}`,
    title: "复制后可直接粘贴到文书中",
    dataset: { citation: text },
    onclick: (event) => copyCitation(text, event.currentTarget),
    text: label,
  });
}

const STRENGTH = {
  "强": ["strong", "可比性强：案情与要旨高度相似，且有相同的法律要素"],
  "中": ["medium", "可比性中等"],
  "弱": ["weak", "可比性较弱，仅供参考"],
};

function strengthBadge(strength) {
  const [cls, title] = STRENGTH[strength] || ["weak", ""];
  return el("span", { class: `badge strength ${cls}`, title, dataset: { strength }, text: `可比性${strength}` });
}

/* Other write-ups of the same matter (另见): a link when the knowledge base holds it. */
function alsoSee(list) {
  if (!list || !list.length) return null;
  return el("div", { class: "also-see" }, "另见：",
    list.map((a) => {
      const text = a.citation || (a.title ? `《${a.title}》` : a.key);
      const label = a.kind === "part_of" ? `${text}（同一系列案）` : text;
      return a.doc_id
        ? el("a", { href: docHref(a.doc_id), dataset: { key: a.key }, text: label })
        : el("span", { dataset: { key: a.key }, text: `${label}（知识库未收录）` });
    }));
}

function similarItem(c, rank) {
  const firstUnit = c.matched_sections && c.matched_sections[0] && c.matched_sections[0].unit_id;
  const why = c.why || {};
  return el("li", { class: "hit similar-case", dataset: { docId: c.doc_id, strength: c.strength } },
    el("div", { class: "hit-head" },
      el("span", { class: "rank", text: `${rank}.` }),
      el("a", { class: "cite", href: docHref(c.doc_id, firstUnit), text: c.title || c.citation }),
      strengthBadge(c.strength),
      c.case_number ? el("span", { class: "badge number", text: c.case_number }) : null,
      provenanceBadge(c.provenance)),
    el("div", { class: "meta" }, [c.citation, c.date].filter(Boolean).join(" · ")),
    alsoSee(c.also_see),
    el("div", { class: "why" },
      el("h4", { text: "相似之处" }),
      comparison("保护利益", why.interests || {}, "interest"),
      comparison("监管领域", why.activities || {}, "activity"),
      whyRow("共同关键词", why.shared_terms || [], "term"),
      whyRow("相同条文", why.shared_provisions || [], "provision"),
      comparison("诉讼类型", why.litigation || {}, "litigation"),
      comparison("检察措施", why.measures || {}, "measure")),
    el("div", { class: "sections" }, "匹配部分：",
      (c.matched_sections || []).map((m) =>
        el("a", { class: "chip", href: docHref(c.doc_id, m.unit_id), text: m.label || m.section }))),
    el("div", { class: "cite-block" },
      el("blockquote", { class: "citation-text", text: c.citation_text }),
      el("div", { class: "actions" },
        copyTextButton(c.citation_text, "复制引用", "plain"),
        copyTextButton(c.citation_markdown, "复制带格式引用", "markdown"),
        el("a", { class: "open", href: docHref(c.doc_id, firstUnit), text: "查看全文" }))),
  );
}

async function findSimilar() {
  const file = $("similar-file").files[0];
  const text = $("similar-text").value.trim();
  const status = $("similar-status");
  if (!file && !text) {
    status.textContent = "请粘贴案件事实，或选择一份草稿文件";
    status.classList.add("error");
    return;
  }
  status.classList.remove("error");
  status.textContent = file ? `正在读取 ${file.name} 并查找类案…` : "正在查找类案…";
  $("similar-button").disabled = true;
  try {
    let data;
    if (file) {
      const form = new FormData();
      form.append("file", file);
      data = await postForm("/api/similar", form);
    } else {
      data = await postJson("/api/similar", { text });
    }
    $("similar-results").replaceChildren(
      ...(data.cases.length ? data.cases.map((c, i) => similarItem(c, i + 1)) : [emptyItem("知识库中没有足够相似的可比案例")]));
    const read = file ? `已读取 ${file.name}（${data.input_chars} 字）` : `已读取 ${data.input_chars} 字`;
    const strong = data.cases.filter((c) => c.strength === "强").length;
    status.textContent = `${read}，找到 ${data.cases.length} 个可比案例` +
      (data.cases.length ? `（可比性强的 ${strong} 个）` : "") +
      (data.truncated ? "（文本较长，只读取了前面部分）" : "");
  } catch (err) {
    $("similar-results").replaceChildren();
    status.textContent = err.message;
    status.classList.add("error");
  } finally {
    $("similar-button").disabled = false;
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
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("question").value.trim();
    if (!question || chat.busy) return;
    $("question").value = "";
    ask(question);
  });
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("ask-reset").addEventListener("click", resetChat);
  $("similar-file").addEventListener("change", () => {
    const file = $("similar-file").files[0];
    $("similar-file-name").textContent = file ? file.name : "未选择文件";
  });
  $("similar-form").addEventListener("submit", (event) => {
    event.preventDefault();
    findSimilar();
  });
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", init);
