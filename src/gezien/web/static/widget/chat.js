/* Gezien chat widget. A website embeds one tag:
     <script src="https://DESK/widget/chat.js" data-gezien-widget="KEY" async></script>
   and its visitors chat with the desk that served this script. Optional on the tag: data-lang="nl|en";
   for a signed-in customer data-gezien-user-id or data-gezien-email with data-gezien-user-hash (hex
   HMAC-SHA256 of that value with the widget's secret, made on the website's server), data-gezien-name.
   It talks only to the desk's origin, draws inside a shadow root with a constructable stylesheet (no
   <style>, no style attributes: a strict CSP allows it), and keeps its session token in localStorage
   per widget key, so a reload goes on with the same conversation. See docs/widget.md. */
(function () {
  "use strict";
  var tag = document.currentScript || document.querySelector("script[data-gezien-widget]");
  if (!tag || window.GezienChat) return;
  var KEY = tag.getAttribute("data-gezien-widget") || "";
  var ORIGIN = new URL(tag.src, location.href).origin;
  var API = ORIGIN + "/widget/api/v1";
  var CSS = "__GEZIEN_CSS__"; // the desk puts chat.css here when it serves this file
  var STORE = "gezien-chat:" + KEY;
  var attr = function (n) { return (tag.getAttribute(n) || "").trim(); };

  var TEXTS = "__GEZIEN_TEXTS__"; // {nl: {...}, en: {...}}: the desk fills it from its gettext catalogues
  var lang = (attr("data-lang") || document.documentElement.lang || navigator.language || "nl").toLowerCase();
  lang = lang.indexOf("nl") === 0 ? "nl" : "en";
  var T = TEXTS[lang];
  var fmt = function (s, v) { return s.replace(/\{(\w+)\}/g, function (_, k) { return v[k] == null ? "" : v[k]; }); };

  var identity = null;
  if (attr("data-gezien-user-hash") && (attr("data-gezien-user-id") || attr("data-gezien-email"))) {
    identity = { hash: attr("data-gezien-user-hash") };
    if (attr("data-gezien-user-id")) identity.user_id = attr("data-gezien-user-id");
    else identity.email = attr("data-gezien-email");
  }

  // --- state, kept per widget key ----------------------------------------------------------------------
  var S = { token: null, last: 0, seenUpTo: 0, open: false, email: attr("data-gezien-email"), status: null,
    agent: null, readUpTo: 0, readSent: 0, config: null, es: null, msgs: {}, unread: 0, typingAt: 0 };
  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(STORE) || "{}");
      S.token = v.token || null; S.seenUpTo = v.seen || 0; S.open = !!v.open; S.email = S.email || v.email || "";
    } catch (e) { /* storage blocked: a conversation then lasts as long as the page */ }
  }
  function save() {
    try {
      if (!S.token) localStorage.removeItem(STORE);
      else localStorage.setItem(STORE, JSON.stringify({ token: S.token, seen: S.seenUpTo, open: S.open, email: S.email }));
    } catch (e) { /* as above */ }
  }

  // --- DOM helpers: elements and text only, never HTML strings or style attributes -------------------------
  function h(name, attrs, kids) {
    var el = document.createElement(name);
    for (var k in attrs || {}) if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    (kids || []).forEach(function (c) { if (c != null) el.append(c); });
    return el;
  }
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    down: "M6 9l6 6 6-6", x: "M6 6l12 12M18 6L6 18",
    clip: "M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9",
    send: "M4 12l16-8-6 16-2.5-6.5z"
  };
  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false");
    path.setAttribute("d", ICONS[name]); path.setAttribute("fill", name === "chat" ? "currentColor" : "none");
    path.setAttribute("stroke", "currentColor"); path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round"); path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }
  function linkified(text) { // text nodes and <a> for http(s) links; nothing else is ever markup
    var out = document.createDocumentFragment(), re = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g, at = 0, m;
    while ((m = re.exec(text))) {
      out.append(text.slice(at, m.index), h("a", { href: m[0], target: "_blank", rel: "noopener noreferrer" }, [m[0]]));
      at = m.index + m[0].length;
    }
    out.append(text.slice(at));
    return out;
  }
  var size = function (n) { return n >= 1048576 ? Math.round(n / 104857.6) / 10 + " MB" : Math.ceil(n / 1024) + " kB"; };

  // --- the widget's parts ------------------------------------------------------------------------------
  var host = document.createElement("gezien-chat");
  var shadow = host.attachShadow({ mode: "open" });
  if (shadow.adoptedStyleSheets && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else { // an older browser: the same styles as a file from the desk (style-src DESK allows it)
    shadow.append(h("link", { rel: "stylesheet", href: ORIGIN + "/widget/chat.css" }));
  }
  var badge = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
  var launcher = h("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "gz-panel",
    "aria-label": T.open }, [icon("chat"), badge]);
  var title = h("h2", { id: "gz-title" }, [T.title]);
  var sub = h("p", { id: "gz-sub" });
  var closeBtn = h("button", { type: "button", class: "x", "aria-label": T.close }, [icon("down")]);
  var eta = h("p", { class: "eta" });
  var greet = h("p");
  var intro = h("div", { class: "intro" }, [greet, eta]);
  var log = h("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.log });
  var typing = h("p", { class: "typing", role: "status" });
  var surveyLink = h("a", { target: "_blank", rel: "noopener noreferrer", hidden: true }, [T.survey]);
  var freshBtn = h("button", { type: "button", class: "btn" }, [T.fresh]);
  var ended = h("div", { class: "end", hidden: true }, [h("p", {}, [T.closed]), h("p", {}, [surveyLink]), freshBtn]);
  var body = h("div", { class: "body" }, [intro, log, typing, ended]);
  var alertBox = h("p", { class: "alert", role: "alert", hidden: true });
  var nameIn = h("input", { id: "gz-name", name: "name", autocomplete: "name", maxlength: "200" });
  var mailIn = h("input", { id: "gz-email", name: "email", type: "email", autocomplete: "email", maxlength: "254" });
  var nameLabel = h("label", { for: "gz-name" }), mailLabel = h("label", { for: "gz-email" });
  var who = h("div", { class: "who", hidden: true }, [h("div", {}, [nameLabel, nameIn]), h("div", {}, [mailLabel, mailIn])]);
  var text = h("textarea", { id: "gz-text", name: "text", rows: "1", "aria-label": T.placeholder, placeholder: T.placeholder });
  var file = h("input", { type: "file", class: "file", id: "gz-file", tabindex: "-1", "aria-hidden": "true", multiple: true });
  var attachBtn = h("button", { type: "button", class: "ic", "aria-label": T.attach, title: T.attach }, [icon("clip")]);
  var sendBtn = h("button", { type: "submit", class: "ic send", "aria-label": T.send, title: T.send }, [icon("send")]);
  var composer = h("form", { class: "composer", novalidate: true }, [who, h("div", { class: "row" }, [attachBtn, text, sendBtn, file])]);
  var mailBtn = h("button", { type: "button", class: "lk", hidden: true }, [T.transcript]);
  var endBtn = h("button", { type: "button", class: "lk", hidden: true }, [T.end]);
  var foot = h("div", { class: "foot" }, [mailBtn, endBtn]);
  var mailTo = h("input", { type: "email", name: "email", autocomplete: "email", "aria-label": T.email, placeholder: T.email, required: true });
  var mailForm = h("form", { class: "mail", hidden: true, novalidate: true }, [mailTo, h("button", { type: "submit", class: "btn" }, [T.mailSend])]);
  var mailOk = h("p", { class: "ok", role: "status", hidden: true });
  var panel = h("div", { class: "panel", id: "gz-panel", role: "dialog", "aria-labelledby": "gz-title", "aria-describedby": "gz-sub", hidden: true },
    [h("div", { class: "head" }, [h("div", { class: "t" }, [title, sub]), closeBtn]), body, alertBox, composer, foot, mailForm, mailOk]);
  var root = h("div", { class: "root", lang: lang }, [panel, launcher]);
  shadow.append(root);

  function say(msg) { alertBox.textContent = msg || ""; alertBox.hidden = !msg; }
  function scrollDown() { body.scrollTop = body.scrollHeight; }

  // --- talking to the desk -----------------------------------------------------------------------------
  function api(method, path, data, form) {
    var headers = {};
    if (S.token && path.indexOf("/" + encodeURIComponent(KEY) + "/") !== 0) headers.Authorization = "Bearer " + S.token;
    if (data && !form) { headers["Content-Type"] = "application/json"; data = JSON.stringify(data); }
    return fetch(API + path, { method: method, headers: headers, body: data, credentials: "omit" }).then(function (r) {
      return r.text().then(function (raw) {
        var json = null;
        try { json = raw ? JSON.parse(raw) : null; } catch (e) { /* not JSON: a proxy's page */ }
        if (!r.ok) { var err = new Error("HTTP " + r.status); err.status = r.status; err.body = json; throw err; }
        return json;
      });
    });
  }
  function problem(err, fallback) {
    var c = S.config || {};
    if (err.status === 429) return T.tooFast;
    if (err.status === 413) return fallback === "file" ? fmt(T.tooBig, { size: size(c.max_file_bytes || 0) }) : fmt(T.tooLong, { n: c.max_message_chars });
    var d = err.body && err.body.detail;
    if (lang === "nl" && d && d[0] && d[0].msg && err.status < 500) return d[0].msg; // the desk speaks Dutch
    return err.status === 415 || (fallback === "file" && err.status === 422) ? T.noType : T.failed;
  }

  function configLoad() {
    if (S.configP) return S.configP;
    return (S.configP = api("GET", "/" + encodeURIComponent(KEY) + "/config?lang=" + lang).then(function (c) {
      S.config = c;
      if (c.accept && c.accept.length) file.setAttribute("accept", c.accept.join(","));
      if (c.max_message_chars) text.setAttribute("maxlength", c.max_message_chars);
      draw();
      return c;
    }, function (err) { S.configP = null; throw err; }));
  }

  function sessionStart() {
    if (S.token) return Promise.resolve();
    var c = S.config || {}, body = { language: lang, page_url: location.href.slice(0, 2000) };
    if (!identity) {
      var name = nameIn.value.trim(), email = mailIn.value.trim();
      if (!c.open && (!name || !email)) return Promise.reject({ say: T.needWho, focus: name ? mailIn : nameIn });
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return Promise.reject({ say: T.badEmail, focus: mailIn });
      if (name) body.name = name;
      if (email) { body.email = email; S.email = email; }
    } else {
      body.identity = identity;
      if (attr("data-gezien-name")) body.name = attr("data-gezien-name");
      if (S.email) body.email = S.email;
    }
    return api("POST", "/" + encodeURIComponent(KEY) + "/sessions", body).then(function (r) {
      S.token = r.token; S.status = r.conversation ? r.conversation.status : null; S.last = 0;
      save(); draw();
    }, function (err) { // a signature the desk refuses: say so to the site's developer, chat unidentified
      if (!identity || err.status !== 403 || JSON.stringify(err.body || "").indexOf("identity") < 0) throw err;
      console.warn("Gezien chat: data-gezien-user-hash is not the HMAC-SHA256 the desk expects");
      identity = null; draw();
      return sessionStart();
    });
  }

  function forget() {
    if (S.es) { S.es.close(); S.es = null; }
    S.token = null; S.last = 0; S.seenUpTo = 0; S.readUpTo = 0; S.readSent = 0; S.status = null; S.agent = null; S.msgs = {};
    S.unread = 0;
    log.textContent = ""; typing.textContent = ""; mailOk.hidden = true; mailForm.hidden = true;
    save(); draw();
  }

  // A reload (or a dropped stream) catches up with what it has not shown, then listens for the rest.
  function resume() {
    return api("GET", "/messages" + (S.last ? "?after=" + S.last : "")).then(function (r) {
      if (r.agent !== undefined) S.agent = r.agent;
      if (r.status) S.status = r.status;
      if (r.survey_url) status({ status: r.status, survey_url: r.survey_url });
      (r.messages || []).forEach(function (m) { add(m); });
      read({ up_to: r.read_up_to || 0 });
      draw();
      if (S.status && S.status !== "closed") listen(); // no status: no conversation yet, nothing to hear
    }, function (err) {
      if (err.status === 401 || err.status === 403 || err.status === 404) forget(); // the token is gone
      else setTimeout(resume, 5000);
    });
  }

  function listen() {
    if (S.es || !S.token || !window.EventSource) return;
    var es = new EventSource(API + "/events?token=" + encodeURIComponent(S.token) + (S.last ? "&last_event_id=" + S.last : ""));
    S.es = es;
    var on = function (name, fn) { es.addEventListener(name, function (e) { try { fn(JSON.parse(e.data)); } catch (x) { /* a bad frame */ } }); };
    on("message", add);
    on("read", read);
    on("status", status);
    on("typing", function (d) {
      if (d.from !== "agent") return;
      typing.textContent = fmt(T.typing, { name: d.name || (S.agent && S.agent.name) || T.agent });
      clearTimeout(S.typingTimer);
      S.typingTimer = setTimeout(function () { typing.textContent = ""; }, 6000);
    });
    es.onerror = function () {
      if (es.readyState !== 2) return; // the browser reconnects by itself, sending Last-Event-ID
      es.close(); if (S.es === es) S.es = null;
      setTimeout(function () { if (S.token && !S.es) resume(); }, 3000); // refused: check the token, catch up
    };
  }

  // --- messages ----------------------------------------------------------------------------------------
  function add(m) {
    if (!m || m.id == null || S.msgs[m.id]) return; // none shown twice
    var mine = m.from === "customer", sys = m.from === "system";
    var li = h("li", { class: "m" + (mine ? " me" : sys ? " sys" : ""), "data-id": m.id });
    var at = m.at ? new Date(m.at) : new Date();
    if (!mine && !sys) li.append(h("span", { class: "n" }, [m.name || T.agent]));
    else if (mine) li.append(h("span", { class: "sr" }, [T.you + ": "]));
    var bubble = h("div", { class: "b" }, [linkified(m.text || "")]);
    (m.attachments || []).forEach(function (a) { bubble.append(attachment(a)); });
    li.append(bubble);
    if (!sys) li.append(h("span", { class: "s" }, [h("time", { datetime: at.toISOString() },
      [at.toLocaleTimeString(lang === "nl" ? "nl-NL" : "en-GB", { hour: "2-digit", minute: "2-digit" })])]));
    S.msgs[m.id] = { li: li, mine: mine, id: m.id };
    var after = null; // in id order, should a caught-up message arrive after a newer one
    for (var k in S.msgs) if (+k > m.id && (!after || +k < +after.getAttribute("data-id"))) after = S.msgs[k].li;
    log.insertBefore(li, after);
    if (m.id > S.last) S.last = m.id;
    if (!mine && !sys) {
      typing.textContent = "";
      if (m.name) S.agent = { name: m.name };
      if (m.id > S.seenUpTo) { if (S.open && !document.hidden) seen(); else S.unread++; }
    }
    draw();
    scrollDown();
  }
  function attachment(a) {
    var url = new URL(a.url || "/widget/api/v1/attachments/" + a.id, ORIGIN);
    url.searchParams.set("token", S.token || "");
    var name = a.name || T.attachment;
    if (/^image\//.test(a.content_type || "")) {
      var img = h("img", { alt: name });
      fetch(url.href, { credentials: "omit" }).then(function (r) { return r.ok ? r.blob() : null; })
        .then(function (b) { if (b) { img.src = URL.createObjectURL(b); img.onload = scrollDown; } });
      return h("span", { class: "att" }, [img]);
    }
    return h("span", { class: "att" }, [h("a", { href: url.href, download: name, target: "_blank", rel: "noopener" },
      [name + (a.size ? " (" + size(a.size) + ")" : "")])]);
  }
  function read(d) {
    if (d.up_to > S.readUpTo) S.readUpTo = d.up_to;
    var last = null;
    for (var k in S.msgs) {
      var m = S.msgs[k], s = m.li.querySelector(".s");
      if (!m.mine || !s) continue;
      if (s.lastChild.nodeType === 3) s.lastChild.remove();
      if (m.id <= S.readUpTo && (!last || m.id > last.id)) last = m;
    }
    if (last) last.li.querySelector(".s").append(" · " + T.read);
  }
  function status(d) {
    S.status = d.status;
    if (d.agent !== undefined) S.agent = d.agent;
    if (d.survey_url && /^https?:/.test(d.survey_url)) { surveyLink.href = d.survey_url; surveyLink.hidden = false; }
    draw();
    if (d.status === "closed") { typing.textContent = ""; scrollDown(); }
  }
  function seen() { // the customer has seen the agent's words: tell the desk ("Gelezen" there)
    S.unread = 0;
    var top = 0;
    for (var k in S.msgs) if (!S.msgs[k].mine && +k > top) top = +k;
    if (top > S.seenUpTo) { S.seenUpTo = top; save(); }
    if (S.token && top > S.readSent) { S.readSent = top; api("POST", "/read", { up_to: top }).catch(function () {}); }
  }

  // --- drawing the state -------------------------------------------------------------------------------
  function draw() {
    var c = S.config || {}, closed = S.status === "closed", offline = S.config && !c.open && !S.token;
    title.textContent = c.name || T.title;
    sub.textContent = S.agent && S.agent.name ? fmt(T.helping, { name: S.agent.name }) : !S.config ? "" : c.open ? T.online : T.offline;
    greet.textContent = offline ? T.offlineIntro : c.greeting || "";
    eta.textContent = c.expected_reply || "";
    intro.hidden = !greet.textContent && !eta.textContent;
    who.hidden = !!S.token || !!identity || !S.config;
    nameLabel.textContent = T.name + (offline ? "" : T.optional);
    mailLabel.textContent = T.email + (offline ? "" : T.optional);
    nameIn.required = mailIn.required = !!offline;
    sendBtn.setAttribute("aria-label", offline ? T.sendOffline : T.send);
    grow();
    composer.hidden = closed;
    ended.hidden = !closed;
    var talked = !!S.token && Object.keys(S.msgs).length > 0;
    mailBtn.hidden = !talked;
    endBtn.hidden = !talked || closed;
    launcher.setAttribute("aria-label", S.open ? T.close : T.open + (S.unread ? " (" + fmt(T.unread, { n: S.unread }) + ")" : ""));
    badge.textContent = S.unread; badge.hidden = !S.unread || S.open;
  }

  function grow() { // the message box grows with its lines; a message form (offline) starts at three
    var least = S.config && !S.config.open && !S.token ? 3 : 1;
    text.rows = Math.max(least, Math.min(5, text.value.split("\n").length));
  }
  function openPanel(quiet) {
    S.open = true; save();
    panel.hidden = false; root.classList.add("open");
    panel.setAttribute("aria-modal", phone.matches ? "true" : "false");
    launcher.setAttribute("aria-expanded", "true");
    launcher.replaceChild(icon("down"), launcher.firstChild);
    if (!document.hidden) seen();
    draw(); scrollDown();
    var first = composer.hidden ? freshBtn : !who.hidden && nameIn.required && !nameIn.value ? nameIn : text;
    if (quiet !== true) first.focus();
    configLoad().then(function () { say(""); }, function () { say(T.down); });
  }
  function closePanel() {
    S.open = false; save();
    panel.hidden = true; root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.replaceChild(icon("chat"), launcher.firstChild);
    draw();
    launcher.focus();
  }

  // --- what the visitor does ---------------------------------------------------------------------------
  function failed(err) {
    if (err && err.say) { say(err.say); if (err.focus) err.focus.focus(); return; }
    say(problem(err || {}));
  }
  function deliver(send) { // make the session when needed, send; a token the desk forgot is made anew once
    return configLoad().then(sessionStart).then(send).catch(function (err) {
      if (err && err.status === 401 && S.token) { forget(); return sessionStart().then(send); }
      throw err;
    }).then(function (r) { say(""); if (r && r.message) add(r.message); listen(); return r; });
  }
  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    var words = text.value.trim();
    if (!words || sendBtn.disabled) return;
    var wasOffline = S.config && !S.config.open && !S.token;
    sendBtn.disabled = true;
    deliver(function () { return api("POST", "/messages", { text: words }); }).then(function () {
      var now = text.value.trim(); // keep what was typed while it was on its way
      text.value = now.indexOf(words) === 0 ? now.slice(words.length).trim() : now;
      grow();
      if (wasOffline) log.append(h("li", { class: "m sys" }, [h("div", { class: "b" },
        [T.received + (S.config.expected_reply ? " " + S.config.expected_reply : "")])]));
    }, failed).then(function () { sendBtn.disabled = false; text.focus(); });
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit ? composer.requestSubmit() : sendBtn.click(); }
  });
  text.addEventListener("input", function () {
    var now = Date.now();
    if (S.token && text.value && now - S.typingAt > 3000) { S.typingAt = now; api("POST", "/typing").catch(function () {}); }
  });
  function upload(files) {
    var c = S.config || {};
    Array.prototype.forEach.call(files, function (f) {
      if (c.max_file_bytes && f.size > c.max_file_bytes) { say(fmt(T.tooBig, { size: size(c.max_file_bytes) })); return; }
      deliver(function () { var fd = new FormData(); fd.append("file", f, f.name); return api("POST", "/attachments", fd, true); })
        .catch(function (err) { if (err && err.say) failed(err); else say(problem(err, "file")); });
    });
  }
  attachBtn.addEventListener("click", function () { file.click(); });
  file.addEventListener("change", function () { upload(file.files); file.value = ""; });
  text.addEventListener("paste", function (e) {
    var files = e.clipboardData && e.clipboardData.files;
    if (files && files.length) { e.preventDefault(); upload(files); }
  });
  mailBtn.addEventListener("click", function () {
    mailForm.hidden = !mailForm.hidden; mailOk.hidden = true;
    if (!mailForm.hidden) { mailTo.value = mailTo.value || S.email || ""; mailTo.focus(); }
  });
  mailForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var to = mailTo.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) { say(T.badEmail); mailTo.focus(); return; }
    api("POST", "/transcript", { email: to }).then(function () {
      say(""); mailForm.hidden = true; mailOk.textContent = fmt(T.mailDone, { email: to }); mailOk.hidden = false; mailBtn.focus();
    }, failed);
  });
  endBtn.addEventListener("click", function () {
    api("POST", "/close").then(function (r) { status({ status: "closed", survey_url: r && r.conversation && r.conversation.survey_url }); freshBtn.focus(); }, failed);
  });
  freshBtn.addEventListener("click", function () { forget(); surveyLink.hidden = true; text.focus(); });
  launcher.addEventListener("click", function () { if (S.open) closePanel(); else openPanel(); });
  text.addEventListener("input", grow);
  closeBtn.addEventListener("click", closePanel);
  var phone = window.matchMedia ? matchMedia("(max-width: 480px)") : { matches: false };
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && S.open) { e.stopPropagation(); closePanel(); return; }
    if (e.key !== "Tab" || !S.open || !phone.matches) return; // full screen: Tab stays in the panel
    var all = Array.prototype.filter.call(panel.querySelectorAll("button, input, textarea, a[href]"), function (el) {
      return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0;
    });
    var first = all[0], last = all[all.length - 1], at = shadow.activeElement;
    if (e.shiftKey ? at === first : at === last) { e.preventDefault(); (e.shiftKey ? last : first).focus(); }
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden && S.open) { seen(); draw(); } });

  // --- start -------------------------------------------------------------------------------------------
  load();
  draw();
  (document.body || document.documentElement).append(host);
  configLoad().catch(function (err) {
    if (S.token && err.status !== 404) return; // a conversation goes on: the panel says the desk is away
    host.remove(); // no chat beats a broken one; the site's developer reads why in the console
    console.warn("Gezien chat: " + (err.status === 404 ? "no active widget with key " + KEY
      : "the desk refused or did not answer; are " + location.origin + " among the widget's allowed origins?"));
  });
  if (S.token) resume();
  if (S.open) openPanel(true); // a reload keeps the panel as it was, without taking the page's focus
  window.GezienChat = { open: function () { openPanel(); }, close: closePanel };
})();
