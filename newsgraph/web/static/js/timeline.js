// A timeline of meetings as SVG: one dot per meeting on a date axis, dots
// of the same day stacked. Built with DOM calls (textContent for labels),
// so no text from a page is ever parsed as markup.
const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (parent) parent.append(node);
  return node;
}

function parseDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return Date.UTC(y, (m || 1) - 1, d || 1);
}

function ticks(lo, hi, width) {
  // Month ticks for spans over ~2 months, else day ticks; thinned to fit.
  const span = hi - lo;
  const out = [];
  if (span > 62 * DAY) {
    const start = new Date(lo);
    let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1);
    while (t <= hi) {
      if (t >= lo) out.push({ t, label: new Date(t).toISOString().slice(0, 7) });
      const d = new Date(t);
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  } else {
    const first = Math.ceil(lo / DAY) * DAY;
    for (let t = first; t <= hi; t += DAY) out.push({ t, label: new Date(t).toISOString().slice(5, 10) });
  }
  const room = Math.max(1, Math.floor(width / 80));
  const step = Math.ceil(out.length / room);
  const kept = out.filter((_, i) => i % step === 0);
  // Day ticks omit the year: the first one says it.
  if (kept.length && span <= 62 * DAY) kept[0].label = new Date(kept[0].t).toISOString().slice(0, 10);
  return kept;
}

export function renderTimeline(container, points) {
  points = (points || []).filter((p) => /^\d{4}-\d{2}/.test(p.date));
  container.dataset.events = String(points.length);
  if (!points.length) return 0;
  container.replaceChildren();
  const width = Math.max(container.clientWidth - 16, 200);
  const height = Math.max(container.clientHeight - 8, 100);
  const pad = { left: 24, right: 24, top: 14, bottom: 26 };
  const times = points.map((p) => parseDay(p.date));
  let lo = Math.min(...times), hi = Math.max(...times);
  const margin = Math.max((hi - lo) * 0.04, 2 * DAY);
  lo -= margin; hi += margin;
  if (hi - lo > 62 * DAY) {
    // Month ticks: start the axis at the first month's first day so it is labelled.
    const start = new Date(lo);
    lo = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1);
  }
  const x = (t) => pad.left + ((t - lo) / (hi - lo)) * (width - pad.left - pad.right);
  const baseline = height - pad.bottom;

  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, "aria-hidden": "true" }, container);
  const axis = el("g", { class: "axis" }, svg);
  for (const tick of ticks(lo, hi, width)) {
    const g = el("g", { class: "tick" }, axis);
    el("line", { x1: x(tick.t), x2: x(tick.t), y1: pad.top, y2: baseline }, g);
    // Labels near an edge are anchored inside the chart, not cut off.
    const at = x(tick.t);
    const anchor = at < pad.left + 36 ? "start" : at > width - pad.right - 36 ? "end" : "middle";
    const label = el("text", { x: at, y: height - 8, "text-anchor": anchor }, g);
    label.textContent = tick.label;
  }
  el("line", { x1: pad.left, x2: width - pad.right, y1: baseline, y2: baseline }, axis);

  // Dots of one column stack up; a stack too tall for the chart packs its
  // dots closer (overlapping, like a bar) so that it stays inside.
  const radius = 6;
  const stacks = new Map();  // column -> dots already there
  const columns = points.map((p, i) => Math.round(x(times[i]) / (radius * 2)));
  const levels = columns.map((column) => {
    const level = stacks.get(column) || 0;
    stacks.set(column, level + 1);
    return level;
  });
  const room = baseline - 3 - pad.top - radius * 2;
  const step = (column) => Math.min(radius * 2 + 2, room / Math.max(stacks.get(column) - 1, 1));
  const dots = el("g", { class: "dots" }, svg);
  points.forEach((p, i) => {
    const cx = x(times[i]);
    const cy = baseline - radius - 3 - levels[i] * step(columns[i]);
    const link = el("a", { href: "#event-" + p.id }, dots);
    const dot = el("circle", { cx, cy, r: radius, class: p.n_sources > 1 ? "many" : "" }, link);
    dot.dataset.event = p.id;
    const title = el("title", {}, link);
    title.textContent = `${p.date} · ${p.label}${p.place ? " · " + p.place : ""}`;
  });
  container.dataset.renderedEvents = String(dots.querySelectorAll("circle").length);
  return points.length;
}
