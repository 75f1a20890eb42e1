// Who-met-whom network with cytoscape.js (vendored; drawn on canvas, so
// labels are never parsed as HTML). Clicking a person opens their page.
import cytoscape from "../vendor/cytoscape/cytoscape.esm.min.js";

const MAJOR = 12;
const COLOURS = { PER: "#2563eb", LOC: "#16a34a", ORG: "#ea580c", EVT: "#9333ea", PRO: "#0d9488", MISC: "#6b7280" };

function targetUrl(node) {
  const entity = node.data("entity_id");
  if (entity) return "/entity/" + encodeURIComponent(entity);
  return "/meetings?participant=" + encodeURIComponent(node.data("label"));
}

// cytoscape injects a <style> element (".__________cytoscape_container
// { position: relative }") unless an element with this id exists; the CSP
// blocks inline styles, so the rule lives in app.css and a placeholder
// stands in for the element.
const STYLESHEET_ID = "__________cytoscape_stylesheet";
function claimStylesheet() {
  if (document.getElementById(STYLESHEET_ID)) return;
  const placeholder = document.createElement("meta");
  placeholder.id = STYLESHEET_ID;
  document.head.append(placeholder);
}

// A small network is spread out with room for every label; a crowded one
// is packed tighter (components pulled together) so that it is drawn at a
// zoom where the larger labels can still be read.
function layoutFor(n) {
  const crowded = n > 20;
  return { name: "cose", animate: false, randomize: false, padding: 30,
           nodeRepulsion: () => (crowded ? 2500 : 9000), idealEdgeLength: () => (crowded ? 45 : 90),
           nodeDimensionsIncludeLabels: !crowded, gravity: crowded ? 6 : 1, componentSpacing: crowded ? 20 : 40 };
}

export function renderGraph(container, graph) {
  const nodes = (graph && graph.nodes) || [];
  const edges = (graph && graph.edges) || [];
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
  if (!nodes.length) return 0;
  container.replaceChildren();
  claimStylesheet();
  const maxEvents = Math.max(...nodes.map((n) => n.events), 1);
  // The dozen busiest people get larger labels, still readable when a
  // crowded network is drawn zoomed out; the others' show on zooming in.
  const major = new Set([...nodes].sort((a, b) => b.events - a.events).slice(0, MAJOR).map((n) => n.id));
  const cy = cytoscape({
    container,
    elements: [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.label, entity_id: n.entity_id, type: n.type,
                                    events: n.events, focus: n.focus ? 1 : 0,
                                    major: n.focus || major.has(n.id) ? 1 : 0 } })),
      ...edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight } })),
    ],
    style: [
      { selector: "node", style: {
          "background-color": (n) => COLOURS[n.data("type")] || COLOURS.MISC,
          label: "data(label)", "font-size": 11, "font-family": "system-ui, sans-serif", color: "#1f2937",
          "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 140,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
          // a crowded network is drawn zoomed out: labels too small to read wait for the user to zoom in
          "min-zoomed-font-size": 8,
          width: (n) => 14 + 22 * Math.sqrt(n.data("events") / maxEvents),
          height: (n) => 14 + 22 * Math.sqrt(n.data("events") / maxEvents),
          "border-width": 2, "border-color": "#ffffff" } },
      { selector: "node[major = 1]", style: { "font-size": 15, "font-weight": 600 } },
      { selector: "node[focus = 1]", style: { "border-width": 4, "border-color": "#0f172a", "font-weight": "bold" } },
      { selector: "node:active, node:selected", style: { "overlay-opacity": 0.1 } },
      { selector: "edge", style: {
          width: (e) => Math.min(1.5 + e.data("weight"), 8), "line-color": "#cbd5e1", "curve-style": "haystack" } },
    ],
    layout: nodes.length > 2 ? layoutFor(nodes.length) : { name: "circle", padding: 60 },
    // low enough for the layout to fit a crowded network into the box
    minZoom: 0.1, maxZoom: 3,
  });
  cy.on("tap", "node", (event) => { window.location.assign(targetUrl(event.target)); });
  cy.on("mouseover", "node", () => { container.classList.add("pointer"); });
  cy.on("mouseout", "node", () => { container.classList.remove("pointer"); });
  container.dataset.renderedNodes = String(cy.nodes().length);
  container.dataset.renderedEdges = String(cy.edges().length);
  window.__graphs = window.__graphs || [];
  window.__graphs.push(cy);
  return nodes.length;
}
