/* Gezien: "Inspreken" in the practice room (issue 19). Records the agent's turn from the microphone
   (MediaRecorder, WebM/Opus), posts it to the desk, which transcribes it on the server, and puts the text
   in the reply box to read and correct before "Zeggen". Progressive: without this file, without a
   microphone or without MediaRecorder the button stays hidden and the agent types. */
(function () {
  "use strict";
  if (window.gezienPracticeSpeak) return;
  window.gezienPracticeSpeak = true;
  var recording = null; // {recorder, stream, chunks, timer, button}

  function canRecord() {
    return !!(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function reveal() {
    if (!canRecord()) return;
    document.querySelectorAll("[data-practice-speak][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function status(button, text) {
    var place = button.parentNode.querySelector("[data-practice-speak-status]");
    if (place) place.textContent = text;
  }

  function send(button, blob, label) {
    var form = button.closest("form");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var body = new FormData();
    body.append("file", blob, "turn.webm");
    button.disabled = true;
    button.textContent = button.getAttribute("data-label-busy");
    fetch(button.getAttribute("data-practice-speak"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || response.statusText);
          return data;
        });
      })
      .then(function (data) {
        var box = form.querySelector("textarea[name=text]");
        box.value = (box.value.trim() ? box.value.trim() + " " : "") + data.text;
        box.focus();
        status(button, button.getAttribute("data-label-check"));
      })
      .catch(function (error) {
        status(button, error.message);
      })
      .finally(function () {
        button.disabled = false;
        button.textContent = label;
      });
  }

  function stop() {
    if (!recording) return;
    clearTimeout(recording.timer);
    if (recording.recorder.state !== "inactive") recording.recorder.stop();
  }

  function start(button) {
    var label = button.textContent;
    navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then(function (stream) {
        var type = MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "";
        var recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
        var chunks = [];
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) {
            track.stop();
          });
          recording = null;
          button.removeAttribute("aria-pressed");
          send(button, new Blob(chunks, { type: recorder.mimeType || "audio/webm" }), label);
        });
        var seconds = parseInt(button.getAttribute("data-seconds"), 10) || 60;
        recording = {
          recorder: recorder,
          timer: setTimeout(stop, seconds * 1000),
        };
        recorder.start();
        button.setAttribute("aria-pressed", "true");
        button.textContent = button.getAttribute("data-label-stop");
        status(button, "");
      })
      .catch(function () {
        status(button, button.getAttribute("data-label-denied"));
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-practice-speak]");
    if (!button) return;
    event.preventDefault();
    if (recording) stop();
    else start(button);
  });
  document.addEventListener("DOMContentLoaded", reveal);
  document.addEventListener("htmx:afterSwap", reveal);
  reveal();
})();
