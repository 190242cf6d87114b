// Plotly's own words (tool bar, hover, month names) in pt-BR; pages pass `locale: "pt-BR"`.
// Loaded after plotly.min.js and before the page's chart script (all `defer`, in order).
(function () {
  "use strict";
  if (typeof Plotly === "undefined") return;
  Plotly.register({
    moduleType: "locale",
    name: "pt-BR",
    dictionary: {
      "Autoscale": "Escala automática",
      "Box Select": "Selecionar retângulo",
      "Click to enter Colorscale title": "Clique para editar o título da escala de cor",
      "Compare data on hover": "Comparar dados ao passar o mouse",
      "Double-click to zoom back out": "Clique duas vezes para voltar ao zoom original",
      "Download plot": "Baixar gráfico",
      "Download plot as a png": "Baixar gráfico como PNG",
      "Download plot as a PNG": "Baixar gráfico como PNG",
      "Double-click on legend to isolate one trace": "Clique duas vezes na legenda para isolar uma série",
      "Share chart": "Compartilhar gráfico",
      "Share chart...": "Compartilhar gráfico…",
      "Toggle show closest data on hover": "Mostrar ou ocultar o dado mais próximo",
      "Lasso Select": "Selecionar com laço",
      "Orbital rotation": "Rotação orbital",
      "Pan": "Mover",
      "Produced with Plotly.js": "Feito com Plotly.js",
      "Reset": "Restaurar",
      "Reset axes": "Restaurar eixos",
      "Reset view": "Restaurar vista",
      "Show closest data on hover": "Mostrar o dado mais próximo ao passar o mouse",
      "Snapshot succeeded": "Imagem gerada",
      "Sorry, there was a problem downloading your snapshot!": "Não foi possível baixar a imagem.",
      "Taking snapshot - this may take a few seconds": "Gerando a imagem; pode levar alguns segundos",
      "Toggle Spike Lines": "Mostrar ou ocultar linhas de referência",
      "Zoom": "Zoom",
      "Zoom in": "Aproximar",
      "Zoom out": "Afastar",
    },
    format: {
      days: ["domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"],
      shortDays: ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"],
      months: ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
        "outubro", "novembro", "dezembro"],
      shortMonths: ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: ".",
    },
  });
})();
