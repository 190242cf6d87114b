// Chat page: every text from the server is inserted as text nodes (never as HTML), URLs become
// links and line breaks are kept, so answers written in the admin cannot inject markup.
(function () {
  "use strict";
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const send = document.getElementById("chat-send");
  const errorBox = document.getElementById("chat-error");
  const URL_RE = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;
  let conversationId = null;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function appendRich(parent, text) {
    text.split("\n").forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement("br"));
      let last = 0;
      line.replace(URL_RE, function (url, _g, offset) {
        parent.appendChild(document.createTextNode(line.slice(last, offset)));
        const a = document.createElement("a");
        a.href = url; a.textContent = url; a.rel = "noopener noreferrer"; a.target = "_blank";
        parent.appendChild(a);
        last = offset + url.length;
        return url;
      });
      parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function bubble(kind, text) {
    const li = document.createElement("li");
    li.className = "msg " + kind;
    const body = document.createElement("div");
    body.className = "body";
    appendRich(body, text);
    li.appendChild(body);
    log.appendChild(li);
    li.scrollIntoView({ block: "end", behavior: "smooth" });
    return li;
  }

  // Thumbs as inline SVG (Material Icons' thumb_up, Apache-2.0): an emoji needs a font the page does not ship.
  const THUMB = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
    "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  function thumb(up) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false");
    svg.setAttribute("class", up ? "thumb thumb-up" : "thumb thumb-down");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", THUMB); path.setAttribute("fill", "currentColor");
    if (!up) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  function feedbackButtons(li, messageId) {
    const box = document.createElement("div");
    box.className = "feedback";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Esta resposta ajudou?");
    [["Ajudou", true], ["Não ajudou", false]].forEach(function (pair) {
      const b = document.createElement("button");
      b.type = "button"; b.setAttribute("aria-pressed", "false");
      b.appendChild(thumb(pair[1]));
      b.appendChild(document.createTextNode(" " + pair[0]));
      b.dataset.helpful = String(pair[1]);
      b.addEventListener("click", function () {
        post("/api/faq/feedback/", { conversation_id: conversationId, message_id: messageId, helpful: pair[1] }).then(function () {
          box.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
          const note = box.querySelector(".meta") || document.createElement("span");
          note.className = "meta"; note.textContent = "Obrigado pela avaliação!";
          box.appendChild(note);
        }).catch(showError);
      });
      box.appendChild(b);
    });
    li.appendChild(box);
  }

  function suggestionButtons(li, suggestions) {
    const box = document.createElement("div");
    box.className = "suggestions";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Sugestões");
    suggestions.forEach(function (s) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = s.title;
      b.addEventListener("click", function () { ask(s.title, s.intent); });
      box.appendChild(b);
    });
    li.appendChild(box);
  }

  // Buttons of a bot message send their payload ("/intent" or text) and show their title.
  function replyButtons(li, buttons) {
    const box = document.createElement("div");
    box.className = "buttons";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Opções");
    buttons.forEach(function (b) {
      const button = document.createElement("button");
      button.type = "button"; button.textContent = b.title;
      button.addEventListener("click", function () {
        box.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        ask(b.title, null, b.payload);
      });
      box.appendChild(button);
    });
    li.appendChild(box);
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          const detail = data.detail || data.message || data.conversation_id || "Não foi possível responder agora.";
          throw new Error(Array.isArray(detail) ? detail.join(" ") : String(detail));
        }
        return data;
      });
    });
  }

  function showError(err) {
    errorBox.textContent = err.message || String(err);
    errorBox.hidden = false;
  }

  function ask(text, intent, sendAs) {
    errorBox.hidden = true;
    bubble("user", text);
    send.disabled = true;
    const payload = { message: sendAs || text };
    if (conversationId) payload.conversation_id = conversationId;
    if (intent) payload.intent = intent;
    return post("/api/faq/chat/?channel=web", payload).then(function (data) {
      conversationId = data.conversation_id;
      let messages = data.messages || [];
      // While a person holds the conversation the bot says nothing: no bubble at all.
      if (!messages.length && !data.handoff) messages = [{ text: data.answer, buttons: [] }];
      let li = null;
      messages.forEach(function (m) {
        li = bubble("bot", m.text || "");
        li.dataset.intent = data.intent;
        if (m.buttons && m.buttons.length) replyButtons(li, m.buttons);
      });
      if (li && data.suggestions && data.suggestions.length) suggestionButtons(li, data.suggestions);
      else if (li && !data.handoff) feedbackButtons(li, data.message_id);
      if (data.handoff) watchStaffReplies();
    }).catch(showError).finally(function () { send.disabled = false; input.focus(); });
  }

  // Human handoff: staff replies written in the admin are fetched until the person hands back.
  let lastReply = 0;
  let watching = false;
  function watchStaffReplies() {
    if (watching || !conversationId) return;
    watching = true;
    function poll() {
      fetch("/api/faq/chat/" + conversationId + "/replies/?after=" + lastReply, {
        headers: { "Accept": "application/json" }, credentials: "same-origin",
      }).then(function (response) { return response.ok ? response.json() : null; }).then(function (data) {
        if (!data) return;
        data.replies.forEach(function (r) {
          lastReply = Math.max(lastReply, r.id);
          const li = bubble("bot staff", r.text);
          const who = document.createElement("span");
          who.className = "meta author"; who.textContent = r.author;
          li.insertBefore(who, li.firstChild);
        });
        if (!data.handoff) watching = false;
      }).catch(function () { /* try again on the next tick */ }).finally(function () {
        if (watching) window.setTimeout(poll, 2500);
      });
    }
    poll();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { showError(new Error("Escreva uma pergunta.")); return; }
    input.value = "";
    ask(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  document.querySelectorAll(".starter").forEach(function (b) {
    b.addEventListener("click", function () { ask(b.dataset.text); });
  });
})();
