// Charts of a model version's training report: specs come from the page (json_script), the library
// from our own static files. Each spec: {id, title, x_title, y_title, series: [{name, x, y, text?, mode, dash?}]}.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const source = document.getElementById("report-charts");
  if (!source || typeof Plotly === "undefined") return;
  const layout = { margin: { t: 40, r: 10, b: 50, l: 60 }, font: { family: "system-ui, sans-serif" } };
  JSON.parse(source.textContent).forEach(function (chart) {
    const traces = chart.series.map(function (s) {
      return {
        type: "scatter", name: s.name, x: s.x, y: s.y, text: s.text, mode: s.mode,
        line: s.dash ? { dash: s.dash } : undefined, marker: { size: s.mode === "markers" ? 12 : 6 },
      };
    });
    Plotly.newPlot("chart-" + chart.id, traces, Object.assign({
      title: chart.title,
      xaxis: { title: chart.x_title, tickformat: ".0%", range: [0, 1.02] },
      yaxis: { title: chart.y_title, tickformat: ".0%" },
    }, layout), { displaylogo: false, responsive: true });
  });
});
