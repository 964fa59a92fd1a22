/* Gezien: the live workspace. On a contact's workspace (`.workspace[data-live-url]`) it listens to the
   desk's event stream and, without a reload: adds new messages to the thread (each once, by id), shows
   the customer typing and status changes, shows a colleague who has the contact open or types on it
   (and tells them the same of this agent), refreshes the queue pane and its unread badges, and, when
   the agent opted in, plays a sound and shows a desktop notification for a contact assigned to them.
   A dropped stream reconnects and fetches what it missed. The texts come from the page
   (`web/_desklive.html`, translated there). Without this file the workspace still works by reloading. */
(function () {
  "use strict";
  if (window.gezienDeskLive) return;
  window.gezienDeskLive = true;

  var TYPING_REPEAT_MS = 3000; // while typing, say so this often (a chat customer's "typt" stays on)
  var TYPING_IDLE_MS = 5000; // no key for this long: back to "open"
  var CUSTOMER_TYPING_MS = 6000; // how long the customer's "typt" shows after their last keystroke
  var REOPEN_MS = 3000; // a stream the browser gave up on is opened again after this long
  var QUEUE_REFRESH_MS = 1000; // queue changes within this long refresh the pane once

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function pref(name, value) {
    var key = "gezien.live." + name;
    try {
      if (value === undefined) return window.localStorage.getItem(key) === "1";
      window.localStorage.setItem(key, value ? "1" : "0");
    } catch (e) { /* private mode: the choice lasts this page */ }
    return !!value;
  }

  function start() {
    var ws = $(".workspace[data-live-url]");
    var texts = $("#desklive");
    if (!ws || !texts || !window.EventSource) return;
    var contactId = ws.dataset.contactId;
    var base = "/desk/contacts/" + contactId + "/";
    var t = texts.dataset;
    var heartbeatMs = (parseInt(t.heartbeatS, 10) || 15) * 1000;
    var me = null;
    var viewers = {}; // user id -> {name, state}
    var pending = {}; // message ids being fetched
    var source = null;

    /* ---- The parts this script adds to the page (from the <template>). ---- */
    var parts = texts.content.cloneNode(true);
    var prefs = $("[data-live-prefs]", parts);
    var customerTyping = $("[data-customer-typing]", parts);
    var collision = $("#collision");
    var head = collision ? collision.parentNode : $(".contact-head", ws);
    if (head && prefs) head.appendChild(prefs);
    var thread = $("#thread");
    if (thread && customerTyping) thread.parentNode.insertBefore(customerTyping, thread.nextSibling);

    /* ---- Telling the server what this agent does with the contact. ---- */
    function say(state, extra, keepalive) {
      var body = { state: state };
      if (extra) for (var k in extra) body[k] = extra[k];
      return fetch(base + "live/", {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body)
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (answer) {
        if (!answer) return;
        me = answer.me;
        takeSnapshot(answer);
      }).catch(function () { /* the next heartbeat tries again */ });
    }

    function newestId() {
      var newest = 0;
      $$("#thread [data-message-id]").forEach(function (li) {
        newest = Math.max(newest, parseInt(li.dataset.messageId, 10) || 0);
      });
      return newest;
    }

    var typingState = "open";
    var typingSaid = 0;
    var idleTimer = null;
    function onComposerInput() {
      var now = Date.now();
      if (typingState !== "typing" || now - typingSaid > TYPING_REPEAT_MS) {
        typingState = "typing";
        typingSaid = now;
        say("typing");
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(function () { typingState = "open"; say("open"); }, TYPING_IDLE_MS);
    }
    var box = $("#composer textarea[name=text]");
    if (box) box.addEventListener("input", onComposerInput);

    function readNow() {
      if (document.visibilityState === "visible") say(typingState, { read_up_to: newestId() || null });
    }
    readNow();
    setInterval(function () { say(typingState); }, heartbeatMs);
    document.addEventListener("visibilitychange", readNow);
    window.addEventListener("pagehide", function () { say("left", null, true); });

    /* ---- Who else is here. ---- */
    // The answers to this desk's own words are pictures taken at `answer.now`; the stream tells each
    // colleague's word with its `at`. Whichever arrives first, the newer word of each colleague stays
    // (a colleague who left is kept as "left" so an older picture does not bring them back).
    function takeSnapshot(answer) {
      var next = {};
      Object.keys(viewers).forEach(function (id) {
        if (viewers[id].at > answer.now) next[id] = viewers[id];
      });
      answer.viewers.forEach(function (v) {
        if (v.user_id === me || next[v.user_id]) return;
        next[v.user_id] = { user_id: v.user_id, name: v.name, state: v.state, at: answer.now };
      });
      viewers = next;
      showCollision();
    }

    function heard(v) {
      var known = viewers[v.user_id];
      if (known && known.at > v.at) return;
      viewers[v.user_id] = v;
      showCollision();
    }

    function showCollision() {
      if (!collision) return;
      var typing = [], open = [];
      Object.keys(viewers).forEach(function (id) {
        if (viewers[id].state === "left") return;
        (viewers[id].state === "typing" ? typing : open).push(viewers[id].name);
      });
      var lines = [];
      if (typing.length) lines.push(t.typing.replace("{name}", typing.join(", ")));
      if (open.length) lines.push(t.open.replace("{name}", open.join(", ")));
      collision.textContent = lines.join(" · ");
      collision.hidden = !lines.length;
      collision.dataset.state = typing.length ? "typing" : (open.length ? "open" : "");
    }

    /* ---- The thread: a new message, fetched as the page renders it, once. ---- */
    function addMessage(id) {
      if (!thread || document.getElementById("message-" + id) || pending[id]) return;
      pending[id] = true;
      var scroller = $("#thread-scroll") || document.scrollingElement;
      var atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
      fetch(base + "messages/" + id + "/fragment/", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          delete pending[id];
          if (!html || document.getElementById("message-" + id)) return;
          var holder = document.createElement("template");
          holder.innerHTML = html.trim();
          var li = holder.content.firstElementChild;
          if (!li) return;
          var empty = $("li.empty", thread);
          if (empty) empty.remove();
          var after = null;
          $$("[data-message-id]", thread).some(function (other) {
            if ((parseInt(other.dataset.messageId, 10) || 0) > id) { after = other; return true; }
            return false;
          });
          thread.insertBefore(li, after);
          if (window.htmx) window.htmx.process(li);
          if (li.classList.contains("msg-customer")) {
            if (customerTyping) customerTyping.hidden = true;
            readNow();
          }
          if (atBottom) scroller.scrollTop = scroller.scrollHeight;
        })
        .catch(function () { delete pending[id]; });
    }

    var customerTimer = null;
    function showCustomerTyping() {
      if (!customerTyping) return;
      customerTyping.hidden = false;
      clearTimeout(customerTimer);
      customerTimer = setTimeout(function () { customerTyping.hidden = true; }, CUSTOMER_TYPING_MS);
    }

    function showStatus(data) {
      ws.dataset.status = data.status;
      var select = $("#status-form select[name=status]") || $("select[name=status]");
      if (select && document.activeElement !== select) select.value = data.status;
      var line = $("[data-live-status]");
      if (!line) {
        line = document.createElement("p");
        line.setAttribute("data-live-status", "");
        line.setAttribute("data-testid", "live-status");
        line.className = "live-status muted";
        if (head) head.appendChild(line);
      }
      var label = select && select.selectedOptions.length ? select.selectedOptions[0].textContent : data.status;
      line.textContent = t.status.replace("{status}", label);
    }

    /* ---- The queue pane and its unread badges (counted by the server: the customer's messages since
       an agent last wrote), fetched again when the queue changes, at most once a second. ---- */
    var queueTimer = null;
    function refreshQueue() {
      if (queueTimer) return;
      queueTimer = setTimeout(function () {
        queueTimer = null;
        var pane = $("#queue-pane");
        if (!pane || !window.htmx) return;
        var url = pane.getAttribute("hx-get");
        if (!url) return;
        var filters = $("form", pane);
        var values = {};
        if (filters) new FormData(filters).forEach(function (v, k) { values[k] = v; });
        window.htmx.ajax("GET", url, { target: pane, swap: "innerHTML", values: values });
      }, QUEUE_REFRESH_MS);
    }

    /* ---- A contact assigned to this agent: a sound and a desktop notification, if wanted. ---- */
    function beep() {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      try {
        var ctx = new Ctx();
        var tone = ctx.createOscillator();
        var gain = ctx.createGain();
        tone.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, ctx.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
        tone.connect(gain).connect(ctx.destination);
        tone.start();
        tone.stop(ctx.currentTime + 0.4);
        tone.onended = function () { ctx.close(); };
      } catch (e) { /* no sound here */ }
    }

    function assigned(data) {
      refreshQueue();
      document.documentElement.dataset.liveAssigned = String(data.contact_id);
      if (pref("sound")) beep();
      if (pref("notify") && window.Notification && Notification.permission === "granted") {
        var note = new Notification(data.channel === "chat" ? t.newChat : t.newContact, {
          body: data.title || "",
          tag: "gezien-contact-" + data.contact_id
        });
        note.onclick = function () {
          window.focus();
          window.location.href = "/desk/contacts/" + data.contact_id + "/";
        };
      }
    }

    if (prefs) {
      $$("input[data-pref]", prefs).forEach(function (input) {
        input.checked = pref(input.dataset.pref);
        input.addEventListener("change", function () {
          pref(input.dataset.pref, input.checked);
          if (input.dataset.pref === "notify" && input.checked && window.Notification &&
              Notification.permission === "default") {
            Notification.requestPermission().then(function (answer) {
              if (answer !== "granted") { input.checked = false; pref("notify", false); }
            });
          }
        });
      });
    }

    /* ---- The stream. ---- */
    function parse(event) {
      try { return JSON.parse(event.data); } catch (e) { return {}; }
    }

    function open() {
      var url = ws.dataset.liveUrl;
      url += (url.indexOf("?") < 0 ? "?" : "&") + "last_event_id=" + newestId();
      source = new EventSource(url);
      // Other parts of the page (the call pop-ups) listen here instead of opening a stream of their own:
      // a browser keeps at most six connections to the desk over HTTP/1.1.
      window.gezienDeskStream = source;
      document.dispatchEvent(new CustomEvent("gezien:stream", { detail: source }));
      ws.dataset.live = "connecting";
      source.onopen = function () { ws.dataset.live = "open"; };
      source.addEventListener("message", function (e) {
        var id = parseInt(parse(e).id, 10);
        if (id) addMessage(id);
      });
      source.addEventListener("typing", function (e) {
        if (parse(e).from === "customer") showCustomerTyping();
      });
      source.addEventListener("status", function (e) { showStatus(parse(e)); });
      source.addEventListener("viewing", function (e) {
        var v = parse(e);
        if (me === null || v.user_id === me) return;
        heard(v);
      });
      source.addEventListener("queue", refreshQueue);
      source.addEventListener("assigned", function (e) { assigned(parse(e)); });
      source.onerror = function () {
        ws.dataset.live = "reconnecting";
        if (source.readyState === EventSource.CLOSED) {  // the browser gave up: open it again ourselves
          source.close();
          setTimeout(open, REOPEN_MS);
        }
      };
    }
    open();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
