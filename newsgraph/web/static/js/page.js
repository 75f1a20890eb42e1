// Renders the charts of a page. Each chart container names the JSON
// endpoint it draws from (data-src, the page's JSON twin) and the key in
// the response (data-key). After drawing, the container carries what it
// drew (data-nodes / data-edges / data-events) and data-ready="1".
import { renderGraph } from "./graph.js";
import { renderTimeline } from "./timeline.js";

const RENDERERS = { graph: renderGraph, timeline: renderTimeline };
const responses = new Map();

function fetchJSON(url) {
  if (!responses.has(url)) {
    responses.set(url, fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(`${r.status} ${url}`); return r.json(); }));
  }
  return responses.get(url);
}

function showMessage(container, text) {
  container.replaceChildren();
  const p = document.createElement("span");
  p.className = "muted";
  p.textContent = text;  // text, never markup
  container.append(p);
}

async function draw(container) {
  const render = RENDERERS[container.dataset.key];
  const src = container.dataset.src;
  // Only same-origin API paths are fetched.
  if (!render || !src || !src.startsWith("/api/")) return;
  try {
    const data = await fetchJSON(src);
    const drawn = render(container, data[container.dataset.key]);
    if (drawn === 0) showMessage(container, container.dataset.empty || "");
  } catch (error) {
    showMessage(container, String(error.message || error));
    container.dataset.error = "1";
  }
  container.dataset.ready = "1";
}

for (const container of document.querySelectorAll("[data-src][data-key]")) draw(container);
