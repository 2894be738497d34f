"use strict";
// Borges' page: the documents, and one document as it runs (its blocks,
// graph, timeline and the document itself with its results). Text from
// documents and programs goes into the page as text only; the one HTML
// taken from the server is the rendered document, which the server
// sanitizes (render.go), and the graph, which it draws (graph.go).

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get("token")) { localStorage.setItem("borges-token", params.get("token")); history.replaceState(null, "", location.pathname); }
function headers(extra) {
  const h = Object.assign({"Accept": "application/json"}, extra || {});
  const t = localStorage.getItem("borges-token");
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}
// A wrong or missing token is asked for once; after that the page says
// so and waits for the user to enter one, instead of asking again at
// every refresh.
let asked = false, refused = false;
// unauthorized is called with the token a refused request carried; it
// says whether to try again (a new token has been entered since).
function unauthorized(sent) {
  const now = localStorage.getItem("borges-token");
  if (now !== sent && !refused) return true;
  if (refused) return false;
  if (!asked) {
    asked = true;
    const t = prompt("Borges token");
    if (t) { localStorage.setItem("borges-token", t); return true; }
  }
  refused = true;
  $("authmsg").textContent = "401: Borges refused " + (now ? "the token this page has" : "a request without a token") + ". ";
  $("auth").hidden = false;
  return false;
}
$("settoken").onclick = () => {
  const t = prompt("Borges token");
  if (t === null) return;
  localStorage.setItem("borges-token", t);
  refused = false;
  $("auth").hidden = true;
  refresh();
};
class HTTPError extends Error {
  constructor(msg, status, body) { super(msg); this.status = status; this.body = body; }
}
// request makes an API call with the token; a 401 asks for a token (once).
async function request(method, path, opts) {
  opts = opts || {};
  const sent = localStorage.getItem("borges-token");
  const r = await fetch(path, {method, headers: headers(opts.headers), body: opts.body, signal: opts.signal});
  if (r.status === 401) {
    if (unauthorized(sent)) return request(method, path, opts);
    throw new HTTPError(method + " " + path + ": 401", 401);
  }
  if (!r.ok) {
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    throw new HTTPError(method + " " + path + ": " + r.status + (body && body.error ? " " + body.error : ""), r.status, body);
  }
  return r;
}
async function api(method, path, opts) {
  return (await request(method, path, opts)).json();
}
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const k of kids) if (k !== undefined && k !== null) e.append(k);
  return e;
}
function say(msg) { $("status").textContent = msg; }
const enc = encodeURIComponent;
const terminal = (s) => ["finished", "failed", "killed", "lost"].includes(s);

// Durations and times, as people read them.
function dur(ms) {
  if (ms == null || isNaN(ms)) return "";
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return s.toFixed(1) + "s";
  if (s < 60) return Math.round(s) + "s";
  const m = Math.floor(s / 60);
  if (m < 60) return m + "m" + String(Math.round(s % 60)).padStart(2, "0") + "s";
  return Math.floor(m / 60) + "h" + String(m % 60).padStart(2, "0") + "m";
}
const time = (t) => t ? new Date(t).toLocaleString() : "";
function span(start, end) { return start ? dur((end ? Date.parse(end) : Date.now()) - Date.parse(start)) : ""; }

// ---- where we are: /ui/ID/BLOCK, /ui/ID, /org/ID.html, /org/ID, / ----
let current = null, selected = null;
function route() {
  const p = location.pathname;
  let m;
  if ((m = p.match(/^\/ui\/([^/]+)(?:\/(.+))?$/))) return {id: decodeURIComponent(m[1]), block: m[2] ? decodeURIComponent(m[2]) : null};
  if ((m = p.match(/^\/org\/([^/]+?)(?:\.html)?$/))) return {id: decodeURIComponent(m[1]), block: null};
  return {id: null, block: null};
}
function go(id, block) {
  const path = id ? "/ui/" + enc(id) + (block ? "/" + enc(block) : "") : "/ui/";
  if (location.pathname !== path) history.pushState(null, "", path);
  show(route());
}
window.addEventListener("popstate", () => show(route()));
function show(r) {
  const docChanged = r.id !== current;
  current = r.id;
  selected = r.block;
  document.body.classList.toggle("doc", !!current);
  if (!current) { closeDoc(); refreshList().catch(e => say(e.message)); return; }
  $("submitview").hidden = true;
  if (docChanged) { openDoc(current); refreshList().catch(() => {}); } else if (lastView) { renderView(lastView); }
  if (selected) {
    const d = $("blockdetail");
    d.hidden = false;
    if (lastView) { renderView(lastView); followSelected(); }
    d.scrollIntoView({block: "start"});
  } else {
    $("blockdetail").hidden = true;
    stopFollowing();
  }
}
// Links inside the page move within it.
document.addEventListener("click", (ev) => {
  const a = ev.target.closest && ev.target.closest("a[href]");
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  const href = a.getAttribute("href");
  if (!href || !href.startsWith("/ui/")) return;
  ev.preventDefault();
  history.pushState(null, "", href);
  show(route());
});

// ---- the documents list: a page of it at a time ----
const pageSize = 50;
let listOffset = 0, listTotal = 0;
async function refreshList() {
  const q = new URLSearchParams({offset: listOffset, limit: pageSize});
  if ($("q").value.trim()) q.set("q", $("q").value.trim());
  if ($("statefilter").value) q.set("state", $("statefilter").value);
  const r = await request("GET", "/org?" + q);
  const docs = await r.json();
  listTotal = Number(r.headers.get("X-Total-Count") || docs.length);
  renderList(docs);
}
const stateOrder = ["queued", "staged", "running", "finished", "failed", "killed", "lost"];
function counts(tasks) {
  return stateOrder.filter(s => (tasks || {})[s] > 0).map(s => tasks[s] + " " + s).join(", ");
}
function renderList(docs) {
  $("doclist").replaceChildren(...docs.map(d => {
    const meta = [d.id, time(d.submitted_at), d.finished_at ? "took " + span(d.submitted_at, d.finished_at) : d.state === "running" ? "running for " + span(d.submitted_at) : "", counts(d.tasks)].filter(Boolean).join(" · ");
    return el("li", {"data-id": d.id, class: d.id === current ? "sel" : ""},
      el("a", {href: "/ui/" + enc(d.id)}, el("span", {class: "state " + d.state}, d.state), " ", d.title || d.id,
        el("span", {class: "meta"}, meta)));
  }));
  const last = Math.min(listOffset + docs.length, listTotal);
  $("pageinfo").textContent = listTotal ? (listOffset + 1) + "–" + last + " of " + listTotal : "none";
  $("prev").disabled = listOffset === 0;
  $("next").disabled = last >= listTotal;
  say(listTotal + ($("q").value.trim() || $("statefilter").value ? " matching document(s)" : " document(s)"));
}
$("prev").onclick = () => { listOffset = Math.max(0, listOffset - pageSize); refreshList().catch(e => say(e.message)); };
$("next").onclick = () => { listOffset += pageSize; refreshList().catch(e => say(e.message)); };
let filterTimer = null;
$("q").oninput = () => { clearTimeout(filterTimer); filterTimer = setTimeout(() => { listOffset = 0; refreshList().catch(e => say(e.message)); }, 200); };
$("statefilter").onchange = () => { listOffset = 0; refreshList().catch(e => say(e.message)); };

// ---- submitting: paste, choose or drop a file ----
$("showsubmit").onclick = () => { $("submitview").hidden = false; $("detail").hidden = true; $("orgtext").focus(); };
$("cancelsubmit").onclick = () => { $("submitview").hidden = true; show(route()); };
$("orgfile").onchange = async () => { const f = $("orgfile").files[0]; if (f) $("orgtext").value = await f.text(); };
const ta = $("orgtext");
ta.addEventListener("dragover", (ev) => { ev.preventDefault(); ta.classList.add("drop"); });
ta.addEventListener("dragleave", () => ta.classList.remove("drop"));
ta.addEventListener("drop", async (ev) => {
  ev.preventDefault(); ta.classList.remove("drop");
  const f = ev.dataTransfer.files[0];
  if (f) ta.value = await f.text();
});
// selectLine puts the text box's cursor on a line of the document.
function selectLine(n) {
  const lines = ta.value.split("\n");
  const start = lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
  ta.focus();
  ta.setSelectionRange(start, start + (lines[n - 1] || "").length);
}
$("submit").onclick = async () => {
  const out = $("submitresult");
  out.replaceChildren("submitting…");
  try {
    const v = await api("POST", "/org", {body: ta.value, headers: {"Content-Type": "text/org; charset=utf-8"}});
    out.replaceChildren();
    ta.value = "";
    $("submitview").hidden = true;
    go(v.id);
  } catch (e) {
    const problems = e.body && e.body.problems;
    if (problems) {
      out.replaceChildren(el("p", {}, "The document was rejected; nothing ran:"),
        el("ul", {class: "problems"}, ...problems.map(p => {
          const li = el("li", {"data-line": p.line, tabindex: "0"},
            "line " + p.line + ": " + (p.block ? "block \u201c" + p.block + "\u201d: " : "") + (p.arg ? p.arg + ": " : "") + p.why);
          li.onclick = li.onkeydown = (ev) => { if (ev.type === "click" || ev.key === "Enter") selectLine(p.line); };
          return li;
        })));
    } else {
      out.replaceChildren(el("p", {class: "problems"}, e.body && e.body.error ? e.body.error : e.message));
    }
  }
};

// ---- one document ----
let lastView = null, poller = null, renderedAt = 0, renderedTag = null, renderedTagWanted = null;
// Images drawn, by file, while the view is the same (a block run again
// may have made another).
const images = new Map();
let imagesTag = null;
function closeDoc() {
  if (poller) poller.abort();
  poller = null; lastView = null;
  stopFollowing();
  $("detail").hidden = true;
  $("blockdetail").hidden = true;
}
function openDoc(id) {
  closeDoc();
  $("rendered").replaceChildren();
  $("graph").replaceChildren();
  renderedTag = null;
  poller = new AbortController();
  watch(id, poller.signal);
}
// watch long-polls the document: each answer comes when it changed.
async function watch(id, signal) {
  let tag = "";
  for (let i = 0; !signal.aborted; i++) {
    try {
      const r = await request("GET", "/org/" + enc(id) + ".json" + (tag ? "?wait=" + enc(tag) : ""), {signal});
      const v = await r.json();
      if (signal.aborted || current !== id) return;
      const changed = r.headers.get("ETag") !== tag;
      tag = r.headers.get("ETag") || "";
      lastView = v;
      renderView(v);
      if (changed || v.state === "running") refreshRendered(v, changed, tag).catch(e => say(e.message));
      if (changed) refreshGraph(v).catch(e => say(e.message));
      if (selected && !following) followSelected();
    } catch (e) {
      if (signal.aborted) return;
      if (e.status === 404 && current === id) {
        // Removed meanwhile (from here, the CLI or retention): close it.
        say("document " + id + " is gone");
        current = null; closeDoc(); refreshList().catch(() => {});
        return;
      }
      if (e.status === 401 && refused) {
        // Waits for the user to enter a token; refresh() starts again.
        return;
      }
      say(e.message);
      await new Promise(res => setTimeout(res, 1000));
    }
  }
}
function blockTimes(b) {
  const inst = b.instances || [];
  const started = inst.map(i => i.started_at).filter(Boolean).sort()[0];
  const ended = inst.every(i => i.finished_at) ? inst.map(i => i.finished_at).sort().pop() : null;
  return {started, ended};
}
function blockAttempts(b) { return (b.instances || []).reduce((n, i) => n + (i.attempts || 0), 0); }
function blockExit(b) {
  const codes = (b.instances || []).map(i => i.exit_code).filter(c => c !== undefined && c !== null);
  return codes.length ? Array.from(new Set(codes)).join(",") : "";
}
function blockMessage(b) {
  if (!b.runnable) return "not runnable: " + b.reason;
  const inst = b.instances || [];
  const notes = (b.task && b.task.notes || []).map(n => "note: " + n);
  // "pid 1234" says nothing once the process has ended.
  const msg = inst[0] && inst[0].message || "";
  return [terminal(b.state) && /^pid \d+$/.test(msg) ? "" : msg, inst[0] && inst[0].waiting || "", ...notes].filter(Boolean).join("; ");
}
function canKill(b) { return b.runnable && !terminal(b.state); }
function canRestart(b) { return b.runnable && terminal(b.state); }
function act(path, what) {
  return api("POST", path).then(() => say(what)).catch(e => say(e.message));
}
function renderView(d) {
  $("detail").hidden = false;
  $("doctitle").textContent = (d.title || d.id) + " — " + d.state + (d.notes || []).map(n => " — note: " + n).join("");
  const ends = (d.blocks || []).flatMap(b => (b.instances || []).map(i => i.finished_at)).filter(Boolean).sort();
  $("docmeta").textContent = "id " + d.id + " · submitted " + time(d.submitted_at) +
    (d.state === "running" ? " · running for " + span(d.submitted_at) : ends.length ? " · took " + span(d.submitted_at, ends.pop()) : "");
  document.title = (d.title || d.id) + " — Borges";
  $("resultlink").href = "/org/" + enc(d.id) + ".org";
  // Fetched with the token (a link followed carries none) and saved.
  $("resultlink").onclick = async (ev) => {
    ev.preventDefault();
    try {
      const text = await (await request("GET", "/org/" + enc(d.id) + ".org", {headers: {"Accept": "text/org"}})).text();
      const url = URL.createObjectURL(new Blob([text], {type: "application/octet-stream"}));
      const save = el("a", {href: url, download: d.id + ".org"});
      document.body.append(save); save.click(); save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (e) { say(e.message); }
  };
  $("killdoc").hidden = d.state !== "running";
  $("killdoc").onclick = () => api("DELETE", "/org/" + enc(d.id)).catch(e => say(e.message));
  $("removedoc").onclick = () => {
    if (!confirm("Remove " + (d.title ? "\u201c" + d.title + "\u201d (" + d.id + ")" : d.id) + "? Its tasks are killed, and its results, logs and files deleted.")) return;
    api("POST", "/org/" + enc(d.id) + "/remove").then(() => {
      if (current === d.id) go(null);
    }).catch(e => say(e.message));
  };
  for (const li of $("doclist").children) li.classList.toggle("sel", li.dataset.id === d.id);
  $("blocks").replaceChildren(...d.blocks.map(b => blockRow(d, b)));
  renderTimeline(d);
  renderBadges(d);
  const b = selected && d.blocks.find(x => x.name === selected);
  if (b) renderBlock(d, b);
  for (const n of $("graph").querySelectorAll("a.node")) n.classList.toggle("sel", n.dataset.block === selected);
}
function blockRow(d, b) {
  const inst = b.instances || [];
  const cell = el("td", {}, blockMessage(b));
  if (b.task && b.task.file && b.state === "finished") cell.append(" ", fileLink(d.id, b.task.file, b.task.file));
  const buttons = el("td", {});
  if (canKill(b)) {
    const kill = el("button", {type: "button", class: "kill"}, "kill");
    kill.onclick = (ev) => { ev.stopPropagation(); act("/org/" + enc(d.id) + "/blocks/" + enc(b.name) + "/kill", "kill sent to " + shownName(b)); };
    buttons.append(kill);
  }
  if (canRestart(b)) {
    const again = el("button", {type: "button", class: "restart"}, "restart");
    again.onclick = (ev) => { ev.stopPropagation(); act("/org/" + enc(d.id) + "/blocks/" + enc(b.name) + "/restart", "restarting " + shownName(b)); };
    buttons.append(again);
  }
  const t = blockTimes(b);
  const tr = el("tr", {class: "block" + (b.name === selected ? " sel" : ""), "data-block": b.name},
    el("td", {}, el("a", {href: "/ui/" + enc(d.id) + "/" + enc(b.name)}, shownName(b))), el("td", {}, b.lang),
    el("td", {class: "state " + (b.state || "")}, b.state || "—"),
    el("td", {}, String(inst.length)), el("td", {}, b.runnable ? String(blockAttempts(b)) : ""),
    el("td", {class: "dur"}, span(t.started, t.ended)), el("td", {}, blockExit(b)), cell, buttons);
  tr.onclick = () => go(d.id, b.name);
  return tr;
}
// fileLink fetches a file a block made (with the token) and saves it; it
// is never opened as a page of Borges' origin.
function fileLink(id, file, label) {
  const a = el("a", {href: "#", class: "file", "data-file": file}, label);
  a.onclick = (ev) => { ev.preventDefault(); ev.stopPropagation(); saveFile(id, file); };
  return a;
}
async function fetchFile(id, file) {
  const r = await request("GET", "/org/" + enc(id) + "/files/" + file.split("/").map(enc).join("/"), {headers: {"Accept": "*/*"}});
  return r.arrayBuffer();
}
async function saveFile(id, file) {
  try {
    const data = await fetchFile(id, file);
    const url = URL.createObjectURL(new Blob([data], {type: "application/octet-stream"}));
    const save = el("a", {href: url, download: file.split("/").pop()});
    document.body.append(save); save.click(); save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) { say(file + ": " + e.message); }
}

// ---- a block's details and log ----
// shownName is how a block is shown: a task of a :post chain by its
// block and the chain ("main (:post f(s=*this*))"), the server's
// "shown"; its name stays in the links and requests.
function shownName(b) {
  return b.shown || b.name;
}

function renderBlock(d, b) {
  $("blocktitle").textContent = "Block " + shownName(b) + (b.lang ? " (" + b.lang + ")" : "");
  const inst = b.instances || [];
  const info = [["state", b.state || "not run"]];
  if (b.line) info.push(["line", String(b.line)]);
  if (!b.runnable) info.push(["why not run", b.reason || ""]);
  const waiting = Array.from(new Set(inst.map(i => i.waiting).filter(Boolean)));
  if (waiting.length) info.push(["waiting", waiting.join("; ")]);
  if (b.runnable) info.push(["attempts", String(blockAttempts(b))]);
  const hosts = Array.from(new Set(inst.map(i => i.host).filter(Boolean)));
  if (hosts.length) info.push(["host", hosts.join(", ")]);
  const deps = b.task && b.task.after || [];
  if (deps.length) info.push(["after", deps.join(", ")]);
  for (const n of (b.task && b.task.notes || [])) info.push(["note", n]);
  $("blockinfo").replaceChildren(...info.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {"data-key": k}, v)]));
  $("killblock").hidden = !canKill(b);
  $("restartblock").hidden = !canRestart(b);
  $("killblock").onclick = () => act("/org/" + enc(d.id) + "/blocks/" + enc(b.name) + "/kill", "kill sent to " + shownName(b));
  $("restartblock").onclick = () => act("/org/" + enc(d.id) + "/blocks/" + enc(b.name) + "/restart", "restarting " + shownName(b));
  const rows = [];
  for (const i of inst) {
    for (const p of (i.past_attempts || [])) {
      rows.push(el("tr", {class: "past"}, el("td", {}, String(i.instance)), el("td", {class: "state " + p.state}, p.state), el("td", {}, String(p.attempt)),
        el("td", {}, time(p.started_at)), el("td", {}, time(p.finished_at)), el("td", {}, span(p.started_at, p.finished_at)),
        el("td", {}, p.exit_code == null ? "" : String(p.exit_code)), el("td", {}, p.host || ""), el("td", {}, p.message || "")));
    }
    rows.push(el("tr", {}, el("td", {}, String(i.instance)), el("td", {class: "state " + i.state}, i.state), el("td", {}, String(i.attempts)),
      el("td", {}, time(i.started_at)), el("td", {}, time(i.finished_at)), el("td", {}, span(i.started_at, i.finished_at)),
      el("td", {}, i.exit_code == null ? "" : String(i.exit_code)), el("td", {}, i.host || ""), el("td", {}, [i.message, i.waiting].filter(Boolean).join("; "))));
  }
  $("instances").tBodies[0].replaceChildren(...rows);
  const pick = $("instance");
  $("instancepick").hidden = inst.length < 2;
  if (pick.options.length !== inst.length) {
    pick.replaceChildren(...inst.map(i => el("option", {value: i.instance}, String(i.instance))));
  }
  for (const s of document.querySelectorAll("#rendered .srcblock")) s.classList.toggle("sel", s.dataset.block === b.name);
}
let following = null, followKey = "";
function stopFollowing() { if (following) following.abort(); following = null; followKey = ""; }
function stream() { return document.querySelector("input[name=stream]:checked").value; }
for (const r of document.querySelectorAll("input[name=stream]")) r.onchange = () => { followKey = ""; followSelected(); };
$("instance").onchange = () => { followKey = ""; followSelected(); };
// followSelected shows the selected block's log: stdout, stderr, or both
// as they arrive.
function followSelected() {
  if (!current || !selected || !lastView) return;
  const b = lastView.blocks.find(x => x.name === selected);
  if (!b || !b.runnable) { stopFollowing(); $("log").textContent = ""; $("logtitle").textContent = ""; return; }
  const inst = $("instance").value || "0";
  const key = current + "/" + selected + "/" + inst + "/" + stream();
  if (key === followKey && following) return;
  stopFollowing();
  followKey = key;
  following = new AbortController();
  const pre = $("log");
  pre.replaceChildren();
  $("logtitle").textContent = "log of " + selected + (inst !== "0" ? " instance " + inst : "") + " (" + stream() + ")";
  const streams = stream() === "both" ? ["stdout", "stderr"] : [stream()];
  for (const s of streams) followStream(current, selected, inst, s, following.signal, pre).catch(() => {});
}
async function followStream(id, name, inst, s, signal, pre) {
  const r = await request("GET", "/org/" + enc(id) + "/blocks/" + enc(name) + "/log?follow=1&stream=" + s + "&instance=" + enc(inst),
    {headers: {"Accept": "text/plain"}, signal});
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  for (;;) {
    const {done, value} = await reader.read();
    if (done || signal.aborted) break;
    const text = dec.decode(value, {stream: true});
    const end = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(s === "stderr" ? el("span", {class: "err"}, text) : document.createTextNode(text));
    if (end) pre.scrollTop = pre.scrollHeight;
  }
}

// ---- the rendered document, its badges and its files ----
let renderTimer = null;
// newestOnly makes a fetcher for one kind of view of a document: answers
// come back on independent connections, and one older than the last asked
// of its kind, or for a document no longer shown, is not fresh.
function newestOnly(what, accept) {
  let asked = 0;
  return async d => {
    const mine = ++asked;
    const text = await (await request("GET", "/org/" + enc(d.id) + "/" + what, {headers: {"Accept": accept}})).text();
    return {text, fresh: current === d.id && mine === asked};
  };
}
const fetchRendered = newestOnly("html", "text/html");
async function refreshRendered(d, changed, tag) {
  // While blocks run, output so far is shown too: refreshed every few
  // seconds, and soon after the view changes — at most once a second,
  // however often blocks change.
  if (!changed && Date.now() - renderedAt < 3000) return;
  if (!changed && renderedTag === tag && d.state !== "running") return;
  const since = Date.now() - renderedAt;
  if (since < 1000) {
    clearTimeout(renderTimer);
    renderTimer = setTimeout(() => { if (lastView && current === d.id) refreshRendered(lastView, true, renderedTagWanted).catch(e => say(e.message)); }, 1000 - since);
    renderedTagWanted = tag;
    return;
  }
  renderedAt = Date.now(); renderedTag = tag;
  if (imagesTag !== tag) { images.clear(); imagesTag = tag; }
  const {text: html, fresh} = await fetchRendered(d);
  if (!fresh) return;
  const art = $("rendered");
  const y = window.scrollY;
  // The one HTML the page takes: the server renders it with go-org and
  // keeps only inert markup (render.go, sanitize.go).
  art.innerHTML = html;
  window.scrollTo(0, y);
  for (const a of art.querySelectorAll("a[data-file]")) {
    const file = a.dataset.file;
    a.onclick = (ev) => { ev.preventDefault(); saveFile(d.id, file); };
  }
  for (const img of art.querySelectorAll("img[data-file]")) showImage(d.id, img);
  for (const a of art.querySelectorAll("a.blockname[data-block]")) {
    a.onclick = (ev) => { ev.preventDefault(); go(d.id, a.dataset.block); };
  }
  renderBadges(lastView || d);
  if (selected) for (const s of art.querySelectorAll(".srcblock")) s.classList.toggle("sel", s.dataset.block === selected);
}
// showImage draws an image file a block made, fetched with the token, on
// a canvas: no file of a block is ever given a URL on this origin.
async function showImage(id, img) {
  try {
    const file = img.dataset.file;
    if (!images.has(file)) images.set(file, fetchFile(id, file).then(data => createImageBitmap(new Blob([data]))));
    let bmp;
    try { bmp = await images.get(file); } catch (e) { images.delete(file); throw e; }
    const c = el("canvas", {width: bmp.width, height: bmp.height, role: "img", "aria-label": img.getAttribute("alt") || img.dataset.file, "data-file": img.dataset.file});
    c.getContext("2d").drawImage(bmp, 0, 0);
    img.replaceWith(c);
  } catch (e) {
    img.replaceWith(el("span", {class: "missing"}, img.dataset.file + " (" + e.message + ")"));
  }
}
function renderBadges(d) {
  const byName = new Map(d.blocks.map(b => [b.name, b]));
  for (const badge of document.querySelectorAll("#rendered .badge[data-block]")) {
    const b = byName.get(badge.dataset.block);
    if (!b) { badge.textContent = ""; continue; }
    const t = blockTimes(b);
    const parts = [b.runnable ? b.state : "not run"];
    if (b.runnable && blockAttempts(b) > 1) parts.push(blockAttempts(b) + " attempts");
    if (t.started) parts.push(span(t.started, t.ended));
    if (blockExit(b) !== "") parts.push("exit " + blockExit(b));
    const w = (b.instances || []).map(i => i.waiting).find(Boolean);
    if (w) parts.push(w);
    badge.textContent = parts.join(" · ");
    badge.className = "badge " + (b.state || "");
  }
}
const fetchGraph = newestOnly("graph.svg", "image/svg+xml");
async function refreshGraph(d) {
  const {text, fresh} = await fetchGraph(d);
  // How many graphs came back, shown or not (for tests to wait on).
  $("graph").dataset.answers = String(Number($("graph").dataset.answers || 0) + 1);
  if (!fresh) return;
  // The server draws the graph, names escaped (graph.go); parsed as SVG,
  // it holds no script.
  const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  if (svg.nodeName !== "svg") return;
  for (const s of svg.querySelectorAll("script, foreignObject")) s.remove();
  $("graph").replaceChildren(document.importNode(svg, true));
  for (const n of $("graph").querySelectorAll("a.node")) n.classList.toggle("sel", n.dataset.block === selected);
}

// ---- the timeline: every attempt of every block, from launch to end ----
function renderTimeline(d) {
  const rows = [];
  const t0 = Date.parse(d.submitted_at);
  let tEnd = t0 + 1000;
  const bars = [];
  for (const b of d.blocks) {
    if (!b.runnable) continue;
    for (const i of (b.instances || [])) {
      const label = shownName(b) + ((b.instances || []).length > 1 ? " #" + i.instance : "");
      const segs = [];
      let prevEnd = t0;
      for (const p of (i.past_attempts || [])) {
        if (p.started_at) {
          segs.push({cls: "wait", from: prevEnd, to: Date.parse(p.started_at), title: "waited"});
          segs.push({cls: p.state, from: Date.parse(p.started_at), to: Date.parse(p.finished_at || p.started_at), title: "attempt " + p.attempt + ": " + p.state + (p.exit_code != null ? ", exit " + p.exit_code : "")});
        }
        if (p.finished_at) prevEnd = Date.parse(p.finished_at);
      }
      const end = i.finished_at ? Date.parse(i.finished_at) : Date.now();
      // A new attempt not started yet still carries its predecessor's
      // start.
      const past = i.past_attempts || [];
      const stale = past.length && past[past.length - 1].started_at === i.started_at;
      if (i.started_at && !stale) {
        segs.push({cls: "wait", from: prevEnd, to: Date.parse(i.started_at), title: "waited"});
        segs.push({cls: i.state, from: Date.parse(i.started_at), to: end, title: "attempt " + i.attempts + ": " + i.state + (i.exit_code != null ? ", exit " + i.exit_code : "")});
      } else if (!terminal(i.state)) {
        segs.push({cls: "wait", from: prevEnd, to: Date.now(), title: i.waiting || "queued"});
      }
      for (const s of segs) tEnd = Math.max(tEnd, s.to);
      bars.push({label, name: b.name, segs});
    }
  }
  const total = tEnd - t0;
  for (const row of bars) {
    const track = el("div", {class: "track"});
    for (const s of row.segs) {
      if (s.to < s.from) continue;
      const bar = el("div", {class: "bar " + s.cls, title: s.title + " (" + dur(s.to - s.from) + ")"});
      bar.style.left = (100 * (s.from - t0) / total) + "%";
      bar.style.width = (100 * (s.to - s.from) / total) + "%";
      track.append(bar);
    }
    rows.push(el("div", {class: "row", "data-block": row.name},
      el("a", {class: "label", href: "/ui/" + enc(d.id) + "/" + enc(row.name), title: row.label}, row.label), track));
  }
  rows.push(el("div", {class: "axis"}, el("span", {}, "0s"), el("span", {}, dur(total / 2)), el("span", {}, dur(total))));
  $("timeline").replaceChildren(...rows);
}

// refresh starts again from the address: after a token was entered, what
// a 401 stopped.
// Keys: "/" to filter the documents, Escape to close a block's details.
document.addEventListener("keydown", (ev) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
  if (ev.key === "/" && !typing) {
    ev.preventDefault();
    if (!$("q").offsetParent) go(null); // a narrow screen shows the list alone
    $("q").focus();
  }
  if (ev.key === "Escape" && !typing && current && selected) go(current);
});

function refresh() {
  current = null;
  show(route());
}
refresh();
setInterval(() => {
  if (refused) return;
  refreshList().catch(() => {});
  // Durations of what runs tick on.
  if (lastView && lastView.state === "running") {
    renderTimeline(lastView); renderBadges(lastView);
    for (const b of lastView.blocks) {
      const td = document.querySelector('#blocks tr[data-block="' + CSS.escape(b.name) + '"] td.dur');
      const t = blockTimes(b);
      if (td) td.textContent = span(t.started, t.ended);
    }
  }
}, 2000);
