// The Sluice web console: plain JS and SVG, no framework, no network beyond this agent.
// Reads /topology, /metrics (every second) and /problems; taps through /tap with the token
// from the URL fragment (#token=...), which the agent logs at start.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const HISTORY = 300; // samples kept for the charts: 5 minutes at one per second
const COLORS = ["#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#a855f7", "#06b6d4", "#eab308", "#ec4899"];

const state = {
  token: null,
  topology: null,
  topologyText: "",
  last: null,       // previous /metrics sample {time, json}
  history: [],      // [{time, rates: {key: n}, fills: {key: n}}]
  derived: [],      // problems seen in the counters
  tap: null,        // AbortController of the running tap
};

function el(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function html(tag, attrs, text, parent) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function readToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    state.token = decodeURIComponent(m[1]);
    sessionStorage.setItem("sluice.token", state.token);
    history.replaceState(null, "", location.pathname + location.search); // keep it out of the address bar
  } else {
    state.token = sessionStorage.getItem("sluice.token");
  }
}

function fmtRate(n) {
  if (n === undefined || n === null || isNaN(n)) return "-";
  if (n >= 1e6) return (n / 1e6).toFixed(2) + "M";
  if (n >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function num(group, key) {
  if (!group || group[key] === undefined) return undefined;
  const v = Number(group[key]);
  return isNaN(v) ? undefined : v;
}

// --- topology ---------------------------------------------------------------------------------

async function loadTopology() {
  const r = await fetch("/topology", { cache: "no-store" });
  if (!r.ok) throw new Error("/topology answered " + r.status);
  const text = await r.text();
  if (text === state.topologyText) return;
  state.topologyText = text;
  state.topology = JSON.parse(text);
  document.getElementById("agent-name").textContent = state.topology.agent;
  document.title = "Sluice " + state.topology.agent;
  drawTopology();
  fillTapChoices();
}

function components() {
  const t = state.topology;
  if (!t) return [];
  return [
    ...t.sources.map(s => ({ kind: "source", group: "SOURCE", name: s.name, type: s.type })),
    ...t.channels.map(c => ({ kind: "channel", group: "CHANNEL", name: c.name, type: c.type })),
    ...t.sinks.map(k => ({ kind: "sink", group: "SINK", name: k.name, type: k.type })),
  ];
}

function drawTopology() {
  const t = state.topology;
  const svg = document.getElementById("topology");
  svg.replaceChildren();
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7",
    markerHeight: "7", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a96a3" }, marker);

  const W = 230, H = 70, GAP = 20, X = [20, 390, 760];
  const columns = [t.sources, t.channels, t.sinks];
  const rows = Math.max(1, ...columns.map(c => c.length));
  const height = Math.max(300, rows * (H + GAP) + 50);
  svg.setAttribute("viewBox", `0 0 1010 ${height}`);
  svg.style.height = height + "px";
  const pos = {};
  const place = (kind, list, col) => list.forEach((n, i) => {
    pos[kind + ":" + n.name] = { x: X[col], y: 30 + i * (H + GAP) };
  });
  place("source", t.sources, 0);
  place("channel", t.channels, 1);
  place("sink", t.sinks, 2);

  const edges = el("g", { class: "edges" }, svg);
  const edge = (from, to, label) => {
    const a = pos[from], b = pos[to];
    if (!a || !b) return;
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    el("path", { class: "edge", d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`,
      "data-from": from, "data-to": to }, edges);
    if (label) {
      const tx = el("text", { class: "edge-label", x: mx, y: (y1 + y2) / 2 - 4, "text-anchor": "middle" }, edges);
      tx.textContent = label;
    }
  };
  for (const s of t.sources) {
    for (const c of s.channels) {
      edge("source:" + s.name, "channel:" + c, s.selector !== "replicating" ? s.selector : "");
    }
  }
  for (const k of t.sinks) edge("channel:" + k.channel, "sink:" + k.name, "");

  for (const g of t.groups) {
    const ys = g.sinks.map(n => pos["sink:" + n]).filter(Boolean);
    if (ys.length === 0) continue;
    const top = Math.min(...ys.map(p => p.y)) - 14, bottom = Math.max(...ys.map(p => p.y)) + H + 6;
    const gg = el("g", { class: "group", "data-group": g.name }, svg);
    el("rect", { x: X[2] - 8, y: top, width: W + 16, height: bottom - top, rx: 8 }, gg);
    el("text", { x: X[2] - 2, y: top + 10 }, gg).textContent = `group ${g.name} (${g.processor})`;
  }

  for (const c of components()) {
    const p = pos[c.kind + ":" + c.name];
    const g = el("g", { class: "node " + c.kind, id: `node-${c.kind}-${c.name}`, "data-kind": c.kind,
      "data-name": c.name, transform: `translate(${p.x},${p.y})` }, svg);
    el("rect", { width: W, height: H }, g);
    el("text", { class: "title", x: 10, y: 18 }, g).textContent = c.name;
    // A class name as type is shown by its simple name; the full one is in the tooltip.
    const shortType = c.type.includes(".") ? c.type.substring(c.type.lastIndexOf(".") + 1) : c.type;
    const meta = el("text", { class: "meta", x: W - 10, y: 18, "text-anchor": "end" }, g);
    meta.textContent = c.kind + " · " + shortType;
    el("title", {}, g).textContent = `${c.kind} ${c.name} (${c.type})`;
    el("text", { class: "rate", id: `rate-${c.kind}-${c.name}`, x: 10, y: 38 }, g).textContent = "in - /s · out - /s";
    if (c.kind === "source") {
      const s = t.sources.find(x => x.name === c.name);
      if (s.interceptors.length) {
        el("text", { class: "meta", x: 10, y: 58 }, g).textContent = "interceptors: " + s.interceptors.join(", ");
      }
    }
    if (c.kind === "channel") {
      el("text", { class: "meta", id: `fill-${c.name}`, x: 10, y: 54 }, g).textContent = "fill -";
      el("rect", { class: "fillbar-bg", x: 10, y: 59, width: W - 20, height: 5 }, g);
      el("rect", { class: "fillbar", id: `fillbar-${c.name}`, x: 10, y: 59, width: 0, height: 5 }, g);
    }
  }
}

// --- metrics, rates, charts ---------------------------------------------------------------------

function rates(cur, prev, seconds) {
  const out = {};
  const rate = (g, key) => {
    const a = num(cur[g], key), b = num(prev && prev[g], key);
    return a === undefined || b === undefined || seconds <= 0 ? undefined : Math.max(0, (a - b) / seconds);
  };
  for (const c of components()) {
    const g = c.group + "." + c.name;
    if (c.kind === "source") out[c.kind + ":" + c.name] = { in: rate(g, "EventReceivedCount"), out: rate(g, "EventAcceptedCount") };
    if (c.kind === "channel") out[c.kind + ":" + c.name] = { in: rate(g, "EventPutSuccessCount"), out: rate(g, "EventTakeSuccessCount") };
    if (c.kind === "sink") out[c.kind + ":" + c.name] = { in: rate(g, "EventDrainAttemptCount"), out: rate(g, "EventDrainSuccessCount") };
  }
  return out;
}

async function pollMetrics() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("/metrics", { cache: "no-store" });
    if (!r.ok) throw new Error("/metrics answered " + r.status);
    const json = await r.json();
    const now = performance.now();
    const prev = state.last;
    state.last = { time: now, json };
    if (!state.topology) return;
    const rs = prev ? rates(json, prev.json, (now - prev.time) / 1000) : {};
    const sample = { time: Date.now(), rates: {}, fills: {} };
    for (const c of components()) {
      const key = c.kind + ":" + c.name;
      const r1 = rs[key] || {};
      const t = document.getElementById(`rate-${c.kind}-${c.name}`);
      if (t) t.textContent = `in ${fmtRate(r1.in)} /s · out ${fmtRate(r1.out)} /s`;
      if (c.kind === "source") sample.rates[c.name + " in"] = r1.out;
      if (c.kind === "sink") sample.rates[c.name + " out"] = r1.out;
      if (c.kind === "channel") {
        const g = json["CHANNEL." + c.name] || {};
        const fill = num(g, "ChannelFillPercentage") || 0;
        const size = num(g, "ChannelSize"), cap = num(g, "ChannelCapacity");
        sample.fills[c.name] = fill;
        const bar = document.getElementById("fillbar-" + c.name);
        if (bar) bar.setAttribute("width", String(Math.min(100, fill) / 100 * (Number(bar.previousSibling.getAttribute("width")))));
        const ft = document.getElementById("fill-" + c.name);
        if (ft) ft.textContent = `fill ${fill.toFixed(1)}% · ${size === undefined ? "-" : size} of ${cap === undefined ? "-" : cap}`;
        if (fill >= 90) derive(`channel ${c.name} is ${fill.toFixed(0)}% full: its sinks do not keep up`);
      }
      if (c.kind === "sink" && prev) {
        const g = "SINK." + c.name;
        const failed = (num(json[g], "EventWriteFail") || 0) - (num(prev.json[g], "EventWriteFail") || 0);
        if (failed > 0) derive(`sink ${c.name}: ${failed} failed deliveries in the last second (rolled back, retried)`);
      }
    }
    if (prev) {
      state.history.push(sample);
      if (state.history.length > HISTORY) state.history.shift();
      drawChart("rate-chart", "rate-legend", s => s.rates, false);
      drawChart("fill-chart", "fill-legend", s => s.fills, true);
    }
    status.textContent = "live · updated " + new Date().toLocaleTimeString();
    status.className = "status ok";
  } catch (e) {
    status.textContent = "agent unreachable: " + e.message;
    status.className = "status bad";
  }
}

function drawChart(svgId, legendId, pick, percent) {
  const svg = document.getElementById(svgId);
  const W = 1000, H = 140, L = 44, B = 16;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.replaceChildren();
  const keys = [...new Set(state.history.flatMap(s => Object.keys(pick(s))))];
  let max = percent ? 100 : 1;
  for (const s of state.history) for (const k of keys) max = Math.max(max, pick(s)[k] || 0);
  el("line", { class: "axis", x1: L, y1: H - B, x2: W, y2: H - B }, svg);
  el("line", { class: "axis", x1: L, y1: 4, x2: L, y2: H - B }, svg);
  el("text", { x: 2, y: 12 }, svg).textContent = percent ? "100%" : fmtRate(max);
  el("text", { x: 2, y: H - B }, svg).textContent = "0";
  el("text", { x: L + 2, y: H - 3 }, svg).textContent = "-5 min";
  el("text", { x: W - 30, y: H - 3 }, svg).textContent = "now";
  const legend = document.getElementById(legendId);
  legend.replaceChildren();
  keys.forEach((k, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = state.history.map((s, j) => {
      const x = L + (W - L) * (HISTORY - state.history.length + j) / (HISTORY - 1);
      const y = (H - B) - (H - B - 6) * ((pick(s)[k] || 0) / max);
      return x.toFixed(1) + "," + y.toFixed(1);
    });
    el("polyline", { points: pts.join(" "), stroke: color, "data-series": k }, svg);
    const last = pick(state.history[state.history.length - 1])[k];
    const span = html("span", { style: "--c:" + color }, `${k} ${percent ? (last || 0).toFixed(1) + "%" : fmtRate(last) + "/s"}`, legend);
    span.dataset.series = k;
  });
}

// --- problems -----------------------------------------------------------------------------------

function derive(message) {
  const stamp = new Date().toISOString();
  state.derived = state.derived.filter(d => d.message !== message);
  state.derived.push({ time: stamp, level: "WARN", logger: "console", message });
  if (state.derived.length > 20) state.derived.shift();
}

async function pollProblems() {
  let logged = [];
  try {
    const r = await fetch("/problems", { cache: "no-store" });
    if (r.ok) logged = (await r.json()).recent;
  } catch (e) {
    // shown by the status line already
  }
  const all = [...logged, ...state.derived].sort((a, b) => a.time < b.time ? 1 : -1).slice(0, 50);
  const ul = document.getElementById("problems");
  ul.replaceChildren();
  if (all.length === 0) html("li", { class: "muted" }, "none", ul);
  for (const p of all) {
    html("li", { class: p.level }, `${p.time.replace("T", " ").replace(/\..*/, "")} ${p.level} ${p.message}`, ul);
  }
}

// --- tap ----------------------------------------------------------------------------------------

function fillTapChoices() {
  const sel = document.getElementById("tap-component");
  const keep = sel.value;
  sel.replaceChildren();
  for (const c of components()) {
    html("option", { value: c.kind + "s." + c.name }, `${c.kind} ${c.name}`, sel);
  }
  if (keep) sel.value = keep;
}

async function startTap(ev) {
  ev.preventDefault();
  stopTap();
  const component = document.getElementById("tap-component").value;
  const limit = Number(document.getElementById("tap-limit").value) || 100;
  const out = document.getElementById("tap-output");
  const status = document.getElementById("tap-status");
  out.replaceChildren();
  if (!state.token) {
    status.textContent = "no token: open the console with the URL the agent logged (…/#token=…)";
    return;
  }
  const ctl = new AbortController();
  state.tap = ctl;
  document.getElementById("tap-start").disabled = true;
  document.getElementById("tap-stop").disabled = false;
  status.textContent = "tapping " + component + "…";
  let count = 0, dropped = 0;
  try {
    const r = await fetch(`/tap?component=${encodeURIComponent(component)}&limit=${limit}`,
      { headers: { Authorization: "Bearer " + state.token }, signal: ctl.signal, cache: "no-store" });
    if (r.status === 401) {
      status.textContent = "the token was refused: open the console with the URL the agent logged at its last start";
      return;
    }
    if (!r.ok) {
      status.textContent = (await r.text()).trim();
      return;
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const e = JSON.parse(line);
        if (e.dropped !== undefined) {
          dropped = e.dropped;
        } else {
          count++;
          const li = html("li", { class: "tap-event" }, null, out);
          html("span", { class: "headers" }, JSON.stringify(e.headers) + " ", li);
          html("span", { class: "body" }, e.body !== undefined ? e.body : "base64:" + e.bodyBase64, li);
          if (e.truncated) html("span", { class: "muted" }, ` … (${e.bodySize} bytes)`, li);
          if (out.children.length > 500) out.removeChild(out.firstChild);
          out.scrollTop = out.scrollHeight;
        }
      }
      status.textContent = `tapping ${component}: ${count} event(s) shown, ${dropped} dropped (the tap drops when the reader is slower than the agent)`;
    }
    status.textContent = `done: ${count} event(s) of ${component}, ${dropped} dropped`;
  } catch (e) {
    if (e.name !== "AbortError") status.textContent = "tap failed: " + e.message;
    else status.textContent = `stopped: ${count} event(s), ${dropped} dropped`;
  } finally {
    if (state.tap === ctl) state.tap = null;
    document.getElementById("tap-start").disabled = false;
    document.getElementById("tap-stop").disabled = true;
  }
}

function stopTap() {
  if (state.tap) {
    state.tap.abort();
    state.tap = null;
  }
}

// --- start --------------------------------------------------------------------------------------

async function main() {
  readToken();
  document.getElementById("tap-form").addEventListener("submit", startTap);
  document.getElementById("tap-stop").addEventListener("click", stopTap);
  try {
    await loadTopology();
  } catch (e) {
    document.getElementById("status").textContent = "cannot read the topology: " + e.message;
  }
  await pollMetrics();
  await pollProblems();
  setInterval(pollMetrics, 1000);
  setInterval(pollProblems, 5000);
  setInterval(() => loadTopology().catch(() => {}), 10000); // a reload may change it
}

main();
