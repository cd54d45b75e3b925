// Passkeys and security keys (WebAuthn). Progressive enhancement: a form with
// data-passkey-options gets a working passkey button only where the browser
// supports WebAuthn; codes from an app work without this file.
(() => {
  const toBytes = (value) => {
    const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const toBase64url = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let text = "";
    bytes.forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const creationOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  });
  const requestOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  });

  const serialise = (credential) => {
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return JSON.stringify(json);
  };

  const setUp = (form) => {
    const source = document.getElementById(form.dataset.passkeyOptions);
    const button = form.querySelector("[data-passkey-button]");
    const field = form.querySelector("input[name=passkey]");
    const status = form.querySelector("[data-passkey-status]");
    if (!source || !button || !field || !window.PublicKeyCredential) {
      return;
    }
    const options = JSON.parse(source.textContent);
    const create = form.dataset.passkeyMode === "create";
    button.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      if (status) { status.textContent = button.dataset.waiting || ""; }
      try {
        const credential = create
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        field.value = serialise(credential);
        form.requestSubmit();
      } catch (error) {
        button.disabled = false;
        if (status) { status.textContent = button.dataset.failed || String(error); }
      }
    });
  };

  document.querySelectorAll("form[data-passkey-options]").forEach(setUp);
})();
