// Intent pages: while a training is queued or running, ask the server for its outcome every few
// seconds and replace the "Último treino" box, so the editor learns what happened to the change.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const POLL_MS = 3000;
  function poll() {
    const box = document.getElementById("faq-training");
    if (!box || !box.dataset.pending) return;
    const url = new URL(box.dataset.statusUrl, window.location.href);
    const intent = box.dataset.intent;
    if (intent) url.searchParams.set("intent", intent);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        box.outerHTML = data.html;
        window.setTimeout(poll, POLL_MS);
      })
      .catch(() => window.setTimeout(poll, POLL_MS * 3));
  }
  window.setTimeout(poll, POLL_MS);
});
