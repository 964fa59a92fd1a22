/* Gezien: call pop-ups (issue 18). On every desk page (`#call-popups[data-live-url]`) it listens to the
   desk's event stream: a `call` event that rings for this agent fetches the call's pop-up (the server
   renders it, escaped) and shows it; a call that stops ringing loses its pop-up; a call this agent
   answered opens its contact. Without this file the desk works as before ("Inkomend gesprek"). */
(function () {
  "use strict";
  if (window.gezienCallPop) return;
  window.gezienCallPop = true;
  var REOPEN_MS = 3000;

  function start() {
    var panel = document.getElementById("call-popups");
    if (!panel || !window.EventSource) return;
    var d = panel.dataset;
    var source = null;

    function url(template, id) { return template.replace("/0/", "/" + encodeURIComponent(id) + "/"); }
    function shown(id) { return panel.querySelector('[data-call-id="' + id + '"]'); }

    function add(html) {
      var box = document.createElement("div");
      box.innerHTML = html;
      Array.prototype.slice.call(box.querySelectorAll("[data-call-id]")).forEach(function (part) {
        if (!shown(part.dataset.callId)) panel.appendChild(part);
      });
    }

    function fetchHtml(address) {
      return fetch(address, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; });
    }

    function show(id) {
      if (!shown(id)) fetchHtml(url(d.popupUrl, id)).then(add);
    }

    function onCall(ev) {
      var data;
      try { data = JSON.parse(ev.data); } catch (e) { return; }
      if (!data || data.call_id === undefined) return;
      if (data.state === "ringing") { show(data.call_id); return; }
      var part = shown(data.call_id);
      if (part) part.remove();
      if (data.state === "answered" && data.contact_id) window.location.assign(url(d.contactUrl, data.contact_id));
    }

    function open() {
      source = new EventSource(d.liveUrl);
      source.addEventListener("call", onCall);
      source.addEventListener("open", function () { panel.dataset.live = "open"; });
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) {
          panel.dataset.live = "reconnecting";
          window.setTimeout(open, REOPEN_MS);
        }
      });
    }
    // An open workspace already streams the same topics (`desk`, `agent.{id}`): listen on its stream
    // (desklive.js announces each one it opens) instead of a second connection; without one in time, open
    // our own.
    if (document.querySelector(".workspace[data-live-url]")) {
      var hear = function (stream) {
        if (!stream || stream === source) return;
        source = stream;
        stream.addEventListener("call", onCall);
        panel.dataset.live = "shared";
      };
      document.addEventListener("gezien:stream", function (e) { hear(e.detail); });
      hear(window.gezienDeskStream);
      window.setTimeout(function () { if (!source) open(); }, REOPEN_MS);
    } else {
      open();
    }
    fetchHtml(d.ringingUrl).then(add); // calls that started ringing before this page opened
    window.addEventListener("pagehide", function () { if (source && panel.dataset.live !== "shared") source.close(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
