// Passkeys (WebAuthn): a form marked data-passkey="create" (register a key) or "get" (sign in with one)
// asks its data-options-url for the ceremony's options (a POST with the form's CSRF token; the server
// keeps the challenge), lets the browser talk to the authenticator, puts the answer as JSON into the
// form's hidden "credential" field and sends the form. The texts come from the page (gettext):
// data-unsupported, data-failed. No library, nothing from elsewhere.
(function () {
  "use strict";

  function toBytes(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: options };
  }

  function answer(credential) {
    var r = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      authenticatorAttachment: credential.authenticatorAttachment || null,
      response: { clientDataJSON: toText(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      json.response.attestationObject = toText(r.attestationObject);
      json.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(r.authenticatorData);
      json.response.signature = toText(r.signature);
      json.response.userHandle = toText(r.userHandle);
    }
    return JSON.stringify(json);
  }

  function say(form, text) {
    var place = form.querySelector("[data-passkey-message]");
    if (place) {
      place.textContent = text;
      place.hidden = false;
    }
  }

  function start(form, event) {
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(form, form.dataset.unsupported || "WebAuthn?");
      return;
    }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var create = form.dataset.passkey === "create";
    fetch(form.dataset.optionsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("options " + response.status);
        return response.json();
      })
      .then(function (options) {
        return create
          ? navigator.credentials.create(creationOptions(options))
          : navigator.credentials.get(requestOptions(options));
      })
      .then(function (credential) {
        form.querySelector("input[name=credential]").value = answer(credential);
        form.submit();
      })
      .catch(function () {
        say(form, form.dataset.failed || "WebAuthn?");
      });
  }

  function bind() {
    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
      if (form.dataset.passkeyBound) return;
      form.dataset.passkeyBound = "1";
      form.addEventListener("submit", function (event) { start(form, event); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
