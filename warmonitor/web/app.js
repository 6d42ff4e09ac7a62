// The warmonitor dashboard: a map, a timeline, a table and an event panel over the HTTP API.
// Article text is untrusted: it only ever enters the page as text nodes (textContent), never as
// HTML, and links are kept only when they are http(s).
"use strict";

const state = { filters: {}, brush: null, events: [], map: null, cluster: null, plot: null, articles: new Map() };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function typeClass(record) {
  const kind = record.acled_event_type || "other";
  return "type-" + kind.replace(/[^A-Za-z]+/g, "-");
}

function query(extra) {
  const params = new URLSearchParams();
  const filters = { ...state.filters, ...extra };
  if (state.brush && !("since" in (extra || {}))) {
    filters.since = state.brush[0];
    filters.until = state.brush[1];
  }
  for (const [name, value] of Object.entries(filters)) {
    if (value !== "" && value !== null && value !== undefined) params.set(name, value);
  }
  return params;
}

async function getJSON(path, params) {
  const response = await fetch(params ? `${path}?${params}` : path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const problem = body && body.error ? body.error : { message: response.statusText };
    throw new Error(problem.field ? `${problem.field}: ${problem.message}` : problem.message);
  }
  return body;
}

function say(message) {
  document.getElementById("status").textContent = message;
}

// --- the map ---------------------------------------------------------------------------------------

async function drawCountries(map) {
  try {
    const world = await getJSON("/static/vendor/world-atlas/countries-110m.json");
    const countries = topojson.feature(world, world.objects.countries);
    L.geoJSON(countries, { interactive: false, style: { className: "country", weight: 0.6, fillOpacity: 1 } }).addTo(map);
  } catch (error) {
    say(`country outlines could not be read: ${error.message}`);
  }
}

function makeMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([15, 20], 2);
  drawCountries(map);
  state.cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
  map.addLayer(state.cluster);
  state.map = map;
}

function marker(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const props = feature.properties;
  const dot = el("div", { className: `event-marker ${typeClass(props)}`, dataset: { eventId: props.id },
                          title: `${props.date || "undated"} ${props.acled_sub_event_type || props.plover_type} — ${props.place || ""}` });
  const icon = L.divIcon({ html: dot, className: "event-icon", iconSize: [14, 14] });
  const made = L.marker([lat, lon], { icon, keyboard: false });
  made.eventId = props.id;
  made.on("click", () => openEvent(props.id));
  return made;
}

async function refreshMap() {
  const collection = await getJSON("/api/events.geojson", query());
  state.cluster.clearLayers();
  state.cluster.addLayers(collection.features.map(marker));
  document.getElementById("map").dataset.events = String(collection.features.length);
}

// --- the timeline ----------------------------------------------------------------------------------

function dayNumber(iso) {
  return Date.parse(`${iso}T00:00:00Z`) / 86400000;
}

function isoOfDay(day) {
  return new Date(Math.round(day) * 86400000).toISOString().slice(0, 10);
}

async function refreshTimeline() {
  const params = query({ since: state.filters.since || "", until: state.filters.until || "" });
  const body = await getJSON("/api/aggregates", new URLSearchParams([...params, ["by", "day"]]));
  const days = body.buckets.filter((b) => b.key);
  const xs = days.map((b) => dayNumber(b.key));
  const ys = days.map((b) => b.events);
  const box = document.getElementById("timeline");
  box.dataset.days = String(days.length);
  if (state.plot) state.plot.destroy();
  const options = {
    width: box.clientWidth || 500, height: 150,
    scales: { x: { time: false } },
    axes: [{ values: (_u, ticks) => ticks.map(isoOfDay) }, {}],
    series: [{}, { label: "events", stroke: "#b2182b", fill: "rgba(178,24,43,.35)", paths: uPlot.paths.bars({ size: [0.9, 12] }) }],
    cursor: { drag: { x: true, y: false, setScale: false } },
    hooks: { setSelect: [onBrush] },
    legend: { show: false },
  };
  state.plot = new uPlot(options, [xs, ys], box);
}

function onBrush(plot) {
  const { left, width } = plot.select;
  if (width < 2) return;
  const from = plot.posToVal(left, "x");
  const to = plot.posToVal(left + width, "x");
  state.brush = [isoOfDay(Math.floor(from)), isoOfDay(Math.ceil(to))];
  document.getElementById("timeline").dataset.brush = state.brush.join("/");
  refreshEvents();
}

// --- the table -------------------------------------------------------------------------------------

function who(record) {
  const names = [record.actor1, record.actor2].filter(Boolean).map((a) => a.canonical || a.name);
  return names.join(" → ");
}

async function refreshTable() {
  const body = await getJSON("/api/events", new URLSearchParams([...query(), ["limit", "200"]]));
  const rows = body.events.map((record) => {
    const row = el("tr", { dataset: { eventId: record.id }, tabindex: "0" },
      el("td", {}, record.date || ""),
      el("td", {}, record.acled_sub_event_type || record.acled_event_type || record.plover_type),
      el("td", {}, record.location ? (record.location.canonical || record.location.name) : ""),
      el("td", {}, who(record)),
      el("td", {}, record.fatalities ?? ""),
      el("td", {}, record.num_articles ?? 1));
    row.addEventListener("click", () => openEvent(record.id));
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") openEvent(record.id); });
    return row;
  });
  document.querySelector("#events tbody").replaceChildren(...rows);
  say(`${body.total} event(s)${body.total > rows.length ? `, newest ${rows.length} listed` : ""}`);
  document.getElementById("events").dataset.total = String(body.total);
}

async function refreshEvents() {
  try {
    await Promise.all([refreshMap(), refreshTable()]);
  } catch (error) {
    say(error.message);
  }
}

// --- the event panel -------------------------------------------------------------------------------

async function article(id) {
  if (!state.articles.has(id)) state.articles.set(id, getJSON(`/api/articles/${encodeURIComponent(id)}`));
  return state.articles.get(id);
}

// The sentence as the article gives it, its evidence words marked, as text nodes only.
function highlighted(text, span, evidence) {
  const chars = Array.from(text); // offsets count code points, as the server's do
  const [start, end] = span;
  const marks = evidence
    .filter((e) => Array.isArray(e.span) && e.span[0] >= start && e.span[1] <= end && e.span[1] > e.span[0])
    .map((e) => ({ from: e.span[0] - start, to: e.span[1] - start, field: e.field, rule: e.rule }))
    .sort((a, b) => a.from - b.from || b.to - a.to);
  const sentence = chars.slice(start, end);
  const out = el("p", { className: "sentence" });
  let at = 0;
  for (const mark of marks) {
    if (mark.from < at) continue; // overlapping marks: the first one wins
    out.append(document.createTextNode(sentence.slice(at, mark.from).join("")));
    out.append(el("mark", { className: `field-${mark.field}`, title: `${mark.field}: ${mark.rule}`, dataset: { field: mark.field } },
      sentence.slice(mark.from, mark.to).join("")));
    at = mark.to;
  }
  out.append(document.createTextNode(sentence.slice(at).join("")));
  return out;
}

function safeLink(url, text) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank" }, text);
    }
  } catch (_error) { /* not a URL: shown as text */ }
  return document.createTextNode(text);
}

async function openEvent(id) {
  const panel = document.getElementById("panel");
  const body = document.getElementById("panel-body");
  body.replaceChildren(el("p", {}, "…"));
  panel.hidden = false;
  panel.dataset.eventId = id;
  document.querySelectorAll("#events tr.chosen").forEach((row) => row.classList.remove("chosen"));
  document.querySelectorAll(`#events tr[data-event-id="${CSS.escape(id)}"]`).forEach((row) => row.classList.add("chosen"));
  try {
    const record = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    const facts = el("dl", {},
      el("dt", {}, "type"), el("dd", {}, `${record.acled_event_type || ""} / ${record.acled_sub_event_type || record.plover_type}`),
      el("dt", {}, "date"), el("dd", {}, `${record.date || "unknown"} (${record.date_precision || "?"})`),
      el("dt", {}, "where"), el("dd", {}, record.location ? `${record.location.canonical || record.location.name}, ${record.location.country || ""} (${record.location.precision})` : "unknown"),
      el("dt", {}, "who"), el("dd", {}, who(record) || "unknown"),
      el("dt", {}, "status"), el("dd", {}, record.status),
      el("dt", {}, "fatalities"), el("dd", {}, record.fatalities ?? "none reported"),
      el("dt", {}, "confidence"), el("dd", {}, record.confidence),
      el("dt", {}, "reports"), el("dd", {}, `${record.num_articles} article(s), ${record.num_sources} source(s)`));
    const legend = el("p", { className: "legend" },
      ...["trigger", "actor1", "actor2", "location", "date"].map((f) => el("span", {}, el("mark", { className: `field-${f}` }, f))));
    const mentions = [];
    for (const mention of record.mentions || []) {
      const box = el("div", { className: "mention", dataset: { eventId: mention.id } });
      box.append(el("div", { className: "source" },
        mention.url ? safeLink(mention.url, mention.source || mention.url) : (mention.source || "unknown source"),
        ` · ${mention.published || "undated"}`));
      const evidence = (mention.evidence || []).map((e) => e.field === "plover_type" ? { ...e, field: "trigger" } : e);
      if (Array.isArray(mention.span)) {
        const source = await article(mention.article_id);
        box.append(highlighted(source.text, mention.span, evidence));
      } else {
        box.append(el("p", { className: "sentence" }, mention.sentence || ""));
      }
      mentions.push(box);
    }
    body.replaceChildren(el("h2", {}, record.acled_sub_event_type || record.plover_type), facts, legend, ...mentions);
  } catch (error) {
    body.replaceChildren(el("p", {}, `could not show the event: ${error.message}`));
  }
}

// --- filters ---------------------------------------------------------------------------------------

function readFilters() {
  const form = document.getElementById("filters");
  const values = Object.fromEntries(new FormData(form).entries());
  state.filters = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
}

async function applyFilters() {
  readFilters();
  state.brush = null;
  delete document.getElementById("timeline").dataset.brush;
  try {
    await Promise.all([refreshTimeline(), refreshEvents()]);
  } catch (error) {
    say(error.message);
  }
}

function start() {
  makeMap();
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => { event.preventDefault(); applyFilters(); });
  form.addEventListener("reset", () => setTimeout(applyFilters, 0));
  document.getElementById("clear-brush").addEventListener("click", () => {
    state.brush = null;
    delete document.getElementById("timeline").dataset.brush;
    if (state.plot) state.plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    refreshEvents();
  });
  document.getElementById("close-panel").addEventListener("click", () => { document.getElementById("panel").hidden = true; });
  applyFilters().then(() => { document.body.dataset.ready = "true"; });
}

document.addEventListener("DOMContentLoaded", start);
