// Starts the vendored rasa-webchat widget with the page's configuration (a json_script block: no
// inline script, so the Content-Security-Policy stays strict). Same call as Rasa sites make.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("webchat-config").textContent);
  config.selector = "#webchat";
  config.socketUrl = config.socketUrl || window.location.origin;
  window.WebChat.default(config, null);
})();
