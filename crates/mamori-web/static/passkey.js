// Passkeys (WebAuthn) for Mamori: the browser half of the two ceremonies, served
// as /static/passkey.js on /me/passkeys and /login only (their CSP allows scripts
// from this origin; every other page allows none). The server speaks webauthn-rs
// JSON, whose binary fields are base64url: they become ArrayBuffers for
// navigator.credentials and base64url again on the way back.
(function () {
  "use strict";

  var ja = document.documentElement.lang !== "en";
  var TRANSPORTS = ["usb", "nfc", "ble", "internal", "hybrid"];

  function toBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), u = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    return u.buffer;
  }

  function toB64u(buf) {
    var u = new Uint8Array(buf), s = "";
    for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function say(el, text, isError) {
    el.textContent = text;
    el.className = isError ? "error" : "notice";
    el.setAttribute("role", isError ? "alert" : "status");
    el.hidden = false;
  }

  // POST JSON with the CSRF token in a header; an error reply carries the
  // server's message in both languages.
  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (j) {
        if (!r.ok) {
          var e = j && j.error;
          throw new Error(e ? (ja ? e.message_ja : e.message) : "HTTP " + r.status);
        }
        return j;
      });
    });
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && window.isSecureContext);
  }

  // A DOMException from the browser (cancelled, timed out, no matching key) is
  // told in the page's words; the server's own messages pass through.
  function reason(btn, e) {
    return e && e.name && e.name !== "Error" ? btn.dataset.cancelled : e.message;
  }

  // Passkeys are bound to one origin (the server's base_url). At another address
  // (127.0.0.1 instead of localhost, say) say where to go instead of offering a
  // button that cannot work.
  function onOrigin() {
    var hint = document.getElementById("passkey-origin");
    if (hint && location.origin !== hint.dataset.origin) {
      hint.hidden = false;
      return false;
    }
    return true;
  }

  var reg = document.getElementById("passkey-register");
  if (reg && onOrigin()) {
    var regOut = document.getElementById("passkey-status");
    reg.hidden = false;
    reg.addEventListener("click", function () {
      if (!supported()) { say(regOut, reg.dataset.unsupported, true); return; }
      reg.disabled = true;
      post("/me/passkeys/begin", reg.dataset.csrf, {}).then(function (c) {
        var pk = c.publicKey;
        pk.challenge = toBuf(pk.challenge);
        pk.user.id = toBuf(pk.user.id);
        (pk.excludeCredentials || []).forEach(function (x) { x.id = toBuf(x.id); });
        return navigator.credentials.create({ publicKey: pk });
      }).then(function (cred) {
        var ts = cred.response.getTransports ? cred.response.getTransports() : [];
        return post("/me/passkeys/finish", reg.dataset.csrf, {
          id: cred.id,
          rawId: toB64u(cred.rawId),
          type: cred.type,
          response: {
            attestationObject: toB64u(cred.response.attestationObject),
            clientDataJSON: toB64u(cred.response.clientDataJSON),
            transports: ts.filter(function (t) { return TRANSPORTS.indexOf(t) >= 0; })
          },
          extensions: {}
        });
      }).then(function () {
        location.assign("/me/passkeys?added=1");
      }).catch(function (e) {
        say(regOut, reg.dataset.failed + " " + reason(reg, e), true);
        reg.disabled = false;
      });
    });
  }

  var signin = document.getElementById("passkey-signin");
  if (signin && onOrigin()) {
    var inOut = document.getElementById("passkey-status");
    signin.hidden = false;
    signin.addEventListener("click", function () {
      var email = document.getElementById("email");
      var csrf = document.querySelector("form[action='/login'] input[name=csrf]").value;
      if (!supported()) { say(inOut, signin.dataset.unsupported, true); return; }
      if (!email.value) { say(inOut, signin.dataset.needEmail, true); email.focus(); return; }
      signin.disabled = true;
      post("/login/passkey/begin", csrf, { email: email.value }).then(function (c) {
        var pk = c.publicKey;
        pk.challenge = toBuf(pk.challenge);
        (pk.allowCredentials || []).forEach(function (x) { x.id = toBuf(x.id); });
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (a) {
        return post("/login/passkey/finish", csrf, {
          id: a.id,
          rawId: toB64u(a.rawId),
          type: a.type,
          response: {
            authenticatorData: toB64u(a.response.authenticatorData),
            clientDataJSON: toB64u(a.response.clientDataJSON),
            signature: toB64u(a.response.signature),
            userHandle: a.response.userHandle ? toB64u(a.response.userHandle) : null
          },
          extensions: {}
        });
      }).then(function (j) {
        location.assign(j.redirect);
      }).catch(function (e) {
        say(inOut, signin.dataset.failed + " " + reason(signin, e), true);
        signin.disabled = false;
      });
    });
  }
})();
