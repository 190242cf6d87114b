// SALIC dashboards: draws the charts described by the page's JSON (json_script "dashboard-data")
// with the plotly bundle served by this app. No network access, no other dependency.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Plotly === "undefined") return;
  const data = JSON.parse(source.textContent);
  const config = { displaylogo: false, responsive: true, locale: "pt-BR", modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  const base = {
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13, color: "#1b1f24" },
    separators: ",.",
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
  };
  const tints = { normal: "#dcefdc", complexo: "#f6e3c4", muito_complexo: "#f6d2cf" };

  function layout(extra) {
    return Object.assign({}, base, extra);
  }

  function histogram(el, h) {
    Plotly.newPlot(el, [{
      type: "bar", x: h.x, y: h.counts, width: 0.46, marker: { color: h.colors }, customdata: h.labels,
      hovertemplate: "complexidade %{customdata}: %{y} projeto(s)<extra></extra>",
    }], layout({
      margin: { t: 10, r: 10, b: 45, l: 50 },
      xaxis: { title: { text: "complexidade (0 a 10)" }, range: [0, 10], dtick: 1, fixedrange: true },
      yaxis: { title: { text: "projetos" }, rangemode: "tozero", fixedrange: true },
    }), config);
  }

  function gauge(el, g) {
    const c = g.colors;
    Plotly.newPlot(el, [{
      type: "indicator", mode: "gauge+number", value: g.value,
      number: { valueformat: ".1f", suffix: " / 10" },
      gauge: {
        axis: { range: [0, 10], tickvals: [0, 3, 6, 10] },
        bar: { color: c[g.band] || "#1b1f24", thickness: 0.35 },
        steps: [
          { range: [0, 3], color: tints.normal },
          { range: [3, 6], color: tints.complexo },
          { range: [6, 10], color: tints.muito_complexo },
        ],
        threshold: { line: { color: "#1b1f24", width: 3 }, thickness: 0.8, value: g.value },
      },
    }], layout({ margin: { t: 20, r: 30, b: 10, l: 30 } }), config);
  }

  function short(v, money) {
    const p = money ? "R$ " : "";
    const f = (x) => x.toLocaleString("pt-BR", { maximumFractionDigits: 1 });
    if (v >= 1e9) return p + f(v / 1e9) + " bi";
    if (v >= 1e6) return p + f(v / 1e6) + " mi";
    if (v >= 1e3) return p + f(v / 1e3) + " mil";
    return p + f(v);
  }

  function logAxis(lo, hi, money) {
    // Ticks at 1, 2 and 5 per decade (only 1 over a wide span), labelled "mil", "mi", "bi".
    const steps = Math.log10(hi / lo) > 1.5 ? [1] : [1, 2, 5];
    const vals = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      steps.forEach((m) => { const v = m * Math.pow(10, e); if (v >= lo / 1.5 && v <= hi * 1.5) vals.push(v); });
    }
    return {
      type: "log", range: [Math.log10(lo) - 0.15, Math.log10(hi) + 0.15],
      tickvals: vals, ticktext: vals.map((v) => short(v, money)),
    };
  }

  function distribution(el, d) {
    // The box is drawn from precomputed statistics; scatter traces (data coordinates, so they
    // also work on a log axis) draw the expected range and this project's vertical line.
    const known = [d.min, d.max, d.value, d.expected_min, d.expected_max].filter((v) => v !== null && (!d.log || v > 0));
    const lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
    const traces = [{
      type: "box", orientation: "h", name: "segmento", y: [0],
      q1: [d.q1], median: [d.median], q3: [d.q3], lowerfence: [d.lower], upperfence: [d.upper],
      marker: { color: "#4a5560" }, line: { color: "#4a5560" }, fillcolor: "rgba(74,85,96,0.15)",
      hoverinfo: "x", width: 0.5,
    }];
    if (d.expected_min !== null || d.expected_max !== null) {
      let x0 = d.expected_min !== null ? d.expected_min : lo;
      const x1 = d.expected_max !== null ? d.expected_max : hi;
      if (d.log && x0 <= 0) x0 = lo / 10; // off the left edge: the range starts at zero
      traces.unshift({
        type: "scatter", mode: "lines", name: "faixa esperada", x: [x0, x1, x1, x0, x0], y: [-0.45, -0.45, 0.45, 0.45, -0.45],
        fill: "toself", fillcolor: "rgba(46,125,50,0.14)", line: { width: 0 }, hoverinfo: "skip",
      });
    }
    if (d.value !== null) {
      traces.push({
        type: "scatter", mode: "lines+text", name: "este projeto", x: [d.value, d.value], y: [-0.5, 0.5],
        line: { color: "#b3261e", width: 3 }, text: ["", "este projeto"], textposition: "top center",
        textfont: { color: "#b3261e" }, hovertemplate: "este projeto: %{x}<extra></extra>", cliponaxis: false,
      });
    }
    let xaxis = { type: "linear", zeroline: false, fixedrange: true };
    if (d.log) xaxis = Object.assign(logAxis(lo, hi, d.money), { zeroline: false, fixedrange: true });
    else if (d.share) Object.assign(xaxis, { tickformat: ".0%", range: [-0.02, 1.02] });
    else if (d.money) Object.assign(xaxis, { tickprefix: "R$ ", tickformat: ",.0f" });
    Plotly.newPlot(el, traces, layout({
      margin: { t: 24, r: 24, b: 36, l: 24 }, showlegend: false, xaxis: xaxis,
      yaxis: { visible: false, range: [-0.7, 0.8], fixedrange: true },
    }), config);
  }

  const byId = (id) => document.getElementById(id);
  if (data.histogram && byId("chart-histogram")) histogram(byId("chart-histogram"), data.histogram);
  if (data.gauge && byId("chart-gauge")) gauge(byId("chart-gauge"), data.gauge);
  (data.distributions || []).forEach(function (d) {
    const el = byId(d.id);
    if (el) distribution(el, d);
  });
});
