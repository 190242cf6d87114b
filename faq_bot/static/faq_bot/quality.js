// Quality panel charts: data comes from the page (json_script), the library from our own static files.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const data = JSON.parse(document.getElementById("quality-data").textContent);
  const layout = { margin: { t: 30, r: 10, b: 40, l: 50 }, font: { family: "system-ui, sans-serif" } };
  Plotly.newPlot("chart-days", [{
    type: "bar", x: data.days.map((d) => d.day), y: data.days.map((d) => d.messages), name: "mensagens",
    marker: { color: "#0b5cad" },
  }], Object.assign({ title: "Mensagens por dia" }, layout), { displaylogo: false, responsive: true });
  const versions = data.versions.map((v) => "v" + v.version);
  Plotly.newPlot("chart-versions", [
    { type: "bar", x: versions, y: data.versions.map((v) => v.fallback_rate), name: "taxa de fallback", marker: { color: "#b26a00" } },
    { type: "bar", x: versions, y: data.versions.map((v) => v.helpful_rate), name: "taxa de úteis", marker: { color: "#1d6b34" } },
  ], Object.assign({ title: "Por versão do modelo", barmode: "group", yaxis: { tickformat: ".0%", range: [0, 1] } }, layout),
  { displaylogo: false, responsive: true });
});
