// Who-met-whom network with cytoscape.js (vendored; drawn on canvas, so
// labels are never parsed as HTML). Clicking a person opens their page.
import cytoscape from "../vendor/cytoscape/cytoscape.esm.min.js";

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

export function renderGraph(container, graph) {
  const nodes = (graph && graph.nodes) || [];
  const edges = (graph && graph.edges) || [];
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
  if (!nodes.length) return 0;
  container.replaceChildren();
  claimStylesheet();
  const maxEvents = Math.max(...nodes.map((n) => n.events), 1);
  const cy = cytoscape({
    container,
    elements: [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.label, entity_id: n.entity_id, type: n.type,
                                    events: n.events, focus: n.focus ? 1 : 0 } })),
      ...edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight } })),
    ],
    style: [
      { selector: "node", style: {
          "background-color": (n) => COLOURS[n.data("type")] || COLOURS.MISC,
          label: "data(label)", "font-size": 11, "font-family": "system-ui, sans-serif", color: "#1f2937",
          "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 140,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
          width: (n) => 14 + 22 * Math.sqrt(n.data("events") / maxEvents),
          height: (n) => 14 + 22 * Math.sqrt(n.data("events") / maxEvents),
          "border-width": 2, "border-color": "#ffffff" } },
      { selector: "node[focus = 1]", style: { "border-width": 4, "border-color": "#0f172a", "font-weight": "bold" } },
      { selector: "node:active, node:selected", style: { "overlay-opacity": 0.1 } },
      { selector: "edge", style: {
          width: (e) => Math.min(1.5 + e.data("weight"), 8), "line-color": "#cbd5e1", "curve-style": "haystack" } },
    ],
    layout: nodes.length > 2
      ? { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90,
          padding: 30, nodeDimensionsIncludeLabels: true }
      : { name: "circle", padding: 60 },
    minZoom: 0.3, maxZoom: 3,
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
