/** The page script and style sheet, served from /static/ (no CDN, nothing fetched at run time). */
import { CREDENTIAL_HEADER } from "./contract";

export const APP_JS = `"use strict";
(function () {
  var page = document.body.dataset.page, query = document.body.dataset.query || "";
  var cred = function () { return sessionStorage.getItem("bridge-console-credential"); };
  var conn = document.getElementById("conn");
  var loginLink = document.getElementById("login");
  if (cred() && loginLink) loginLink.textContent = "logged in";
  if (page !== "login") {
    var es = new EventSource("/events?page=" + encodeURIComponent(page) + (query ? "&" + query : ""));
    es.addEventListener("live", function (e) {
      var live = document.getElementById("live");
      var open = Array.prototype.map.call(live.querySelectorAll("details[open]"), function (d) { return d.parentNode && d.parentNode.parentNode ? d.parentNode.parentNode.getAttribute("data-connector") : null; });
      live.innerHTML = e.data;
      open.forEach(function (name) { var d = name && live.querySelector('tr[data-connector="' + CSS.escape(name) + '"] details'); if (d) d.open = true; });
      conn.textContent = "live"; conn.className = "pill up";
      document.dispatchEvent(new Event("console:updated"));
    });
    es.onerror = function () { conn.textContent = "reconnecting"; conn.className = "pill degraded"; };
  }
  function post(url, body) {
    var c = cred();
    if (!c) { location.href = "/login?next=" + encodeURIComponent(location.pathname); return Promise.reject(new Error("log in first")); }
    var headers = { "content-type": "application/json" };
    headers["${CREDENTIAL_HEADER}"] = c;
    return fetch(url, { method: "POST", headers: headers, body: JSON.stringify(body || {}), credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || ("HTTP " + r.status)); return j; });
    });
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.action");
    if (!b) return;
    e.preventDefault();
    if (b.dataset.action === "restart") {
      var out = document.getElementById("action-result");
      out.textContent = "restarting " + b.dataset.name + "…";
      post("/api/connectors/" + encodeURIComponent(b.dataset.name) + "/restart").then(function () { out.textContent = "restart of " + b.dataset.name + " requested"; }, function (err) { out.textContent = "restart refused: " + err.message; });
    } else if (b.dataset.action === "verify") {
      var res = document.getElementById("verify-result");
      res.textContent = "running verify…"; res.className = "";
      b.disabled = true;
      post("/api/verify").then(function (j) { res.textContent = j.report; res.className = j.ok ? "ok" : "error"; }, function (err) { res.textContent = "verify: " + err.message; res.className = "error"; }).then(function () { b.disabled = false; });
    }
  });
  var lf = document.getElementById("loginform");
  if (lf) lf.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = lf.elements.credential.value, out = document.getElementById("login-result");
    fetch("/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ credential: v }), credentials: "same-origin" }).then(function (r) {
      if (!r.ok) return r.json().then(function (j) { throw new Error(j.error); });
      sessionStorage.setItem("bridge-console-credential", v);
      var next = new URLSearchParams(location.search).get("next") || "/";
      location.href = next.charAt(0) === "/" && next.charAt(1) !== "/" ? next : "/";
    }).catch(function (err) { out.textContent = "login refused: " + err.message; });
  });
  var bf = document.getElementById("browse");
  if (bf) {
    var sel = bf.elements.topic;
    bf.elements.cluster.addEventListener("change", function () {
      var list = (sel.dataset[bf.elements.cluster.value] || "").split(",").filter(Boolean);
      sel.innerHTML = "";
      list.forEach(function (t) { var o = document.createElement("option"); o.textContent = t; sel.appendChild(o); });
    });
    bf.addEventListener("submit", function (e) {
      e.preventDefault();
      var box = document.getElementById("messages");
      box.textContent = "reading…";
      var q = new URLSearchParams({ cluster: bf.elements.cluster.value, topic: sel.value, n: bf.elements.n.value });
      fetch("/api/messages?" + q).then(function (r) { return r.json(); }).then(function (j) {
        if (j.error) { box.textContent = j.error; return; }
        var t = document.createElement("table"); t.className = "messages";
        var head = t.createTHead().insertRow();
        ["partition", "offset", "timestamp (arrival)", "key", "value"].forEach(function (x) { var th = document.createElement("th"); th.textContent = x; head.appendChild(th); });
        var body = t.createTBody();
        j.messages.forEach(function (m) {
          var row = body.insertRow();
          [m.partition, m.offset, new Date(m.timestamp).toISOString(), m.key, m.value].forEach(function (x, i) { var td = row.insertCell(); td.textContent = x === null ? "" : String(x); if (i === 4) td.className = "value"; });
        });
        box.innerHTML = ""; box.className = "";
        var p = document.createElement("p"); p.className = "muted"; p.textContent = j.messages.length + " messages of " + j.topic + " on " + j.cluster + (j.masked.length ? " (masked: " + j.masked.join(", ") + ")" : "");
        box.appendChild(p); box.appendChild(t);
      }, function (err) { box.textContent = "messages: " + err.message; });
    });
  }
})();
`;

export const APP_CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
header{display:flex;gap:14px;align-items:center;padding:10px 18px;background:#1f2937;color:#f9fafb;flex-wrap:wrap}
header nav a{color:#d1d5db;margin-right:12px;text-decoration:none}header nav a.here{color:#fff;font-weight:600;border-bottom:2px solid #60a5fa}
header a#login{color:#93c5fd;margin-left:auto}.dep{color:#9ca3af}
main{padding:8px 18px 30px}h1{font-size:20px}h2{font-size:16px;margin-top:20px}h3{font-size:14px}
table{border-collapse:collapse;background:#fff;margin:6px 0}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}
.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7280}.error{color:#b91c1c}.ok{color:#15803d}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;background:#6b7280}
.pill.up{background:#16a34a}.pill.down{background:#dc2626}.pill.degraded{background:#d97706}.pill.unknown{background:#6b7280}
.topology .node rect{stroke:#374151;stroke-width:1.5;fill:#9ca3af}.topology .node.up rect{fill:#bbf7d0;stroke:#16a34a}.topology .node.down rect{fill:#fecaca;stroke:#dc2626}.topology .node.degraded rect{fill:#fde68a;stroke:#d97706}
.topology .name{font-size:12px;font-weight:600}.topology .state{font-size:11px}.topology .arrow line{stroke:#6b7280;stroke-width:2}.topology .rate{font-size:11px;font-weight:600}.topology .lag{font-size:10px;fill:#6b7280}
.charts{display:flex;flex-wrap:wrap;gap:10px}.chart{background:#fff;border:1px solid #e5e7eb}.chart-missing{width:500px;padding:20px;background:#fff;border:1px dashed #d1d5db;color:#b91c1c}
.two{display:flex;gap:24px;flex-wrap:wrap}.cluster{flex:1;min-width:420px}
pre{background:#fff;border:1px solid #e5e7eb;padding:8px;white-space:pre-wrap;max-width:1100px}
td.value{font-family:ui-monospace,monospace;font-size:12px;max-width:700px;word-break:break-all}
a.here{font-weight:600}a.button,button{background:#2563eb;color:#fff;border:0;border-radius:4px;padding:4px 10px;text-decoration:none;cursor:pointer}button:disabled{background:#9ca3af}
`;
