// Quality panel charts: data comes from the page (json_script), the library from our own static files.
// Days are categories labelled by the server (dd/mm/aaaa): a date axis would show times of day
// ("23:59:59.9996") when there is a single day, and English month names in its hover text.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const data = JSON.parse(document.getElementById("quality-data").textContent);
  const layout = { margin: { t: 30, r: 10, b: 40, l: 50 }, font: { family: "system-ui, sans-serif" }, separators: ",." };
  const config = { displaylogo: false, responsive: true, locale: "pt-BR" };
  const most = Math.max(1, ...data.days.map((d) => d.messages));
  Plotly.newPlot("chart-days", [{
    type: "bar", x: data.days.map((d) => d.label), y: data.days.map((d) => d.messages), name: "mensagens",
    marker: { color: "#0b5cad" }, hovertemplate: "%{x}: %{y} mensagem(ns)<extra></extra>",
  }], Object.assign({ title: { text: "Mensagens por dia" }, xaxis: { type: "category" },
    yaxis: { rangemode: "tozero", tickformat: "d", dtick: Math.ceil(most / 5) } }, layout), config);
  const versions = data.versions.map((v) => "v" + v.version);
  Plotly.newPlot("chart-versions", [
    { type: "bar", x: versions, y: data.versions.map((v) => v.fallback_rate), name: "taxa de fallback", marker: { color: "#b26a00" },
      hovertemplate: "%{x}: %{y:.1%}<extra>fallback</extra>" },
    { type: "bar", x: versions, y: data.versions.map((v) => v.helpful_rate), name: "taxa de úteis", marker: { color: "#1d6b34" },
      hovertemplate: "%{x}: %{y:.1%}<extra>úteis</extra>" },
  ], Object.assign({ title: { text: "Por versão do modelo" }, barmode: "group", xaxis: { type: "category" },
    yaxis: { tickformat: ".0%", range: [0, 1] } }, layout), config);
});
