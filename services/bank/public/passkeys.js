// The bank's passkey ceremonies in the browser. Loaded (with SimpleWebAuthn's browser bundle) by the
// log-in, security and step-up pages; without scripts those pages still work with the password.
'use strict'
;(function () {
  const webauthn = window.SimpleWebAuthnBrowser
  const supported = webauthn !== undefined && webauthn.browserSupportsWebAuthn()

  async function postJson (url, body, csrf) {
    const headers = { 'content-type': 'application/json' }
    if (csrf) headers['x-csrf-token'] = csrf
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' })
    const json = await response.json().catch(() => ({}))
    if (!response.ok) {
      const error = new Error(json.message || 'The request failed (' + response.status + ')')
      error.status = response.status
      error.code = json.code
      throw error
    }
    return json
  }

  function show (element, message) {
    if (!element) return
    element.textContent = message
    element.hidden = false
  }

  function explain (error) {
    if (error && error.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.'
    if (error && error.status === 401 && error.message) return error.message
    return (error && error.message) || 'Something went wrong with the passkey.'
  }

  // Log in: a discoverable passkey, no username typed.
  const signIn = document.getElementById('passkey-signin')
  if (signIn && supported) {
    signIn.hidden = false
    signIn.addEventListener('click', async function () {
      const problem = document.getElementById('passkey-error')
      signIn.disabled = true
      try {
        const optionsJSON = await postJson('/api/auth/passkey/options', {})
        const credential = await webauthn.startAuthentication({ optionsJSON })
        await postJson('/api/auth/passkey/login', { credential })
        window.location.assign(signIn.dataset.returnTo || '/')
      } catch (error) {
        show(problem, explain(error))
        signIn.disabled = false
      }
    })
  }

  // Security page: register a passkey under the name typed.
  const register = document.getElementById('passkey-register')
  if (register && supported) {
    register.hidden = false
    register.addEventListener('submit', async function (event) {
      event.preventDefault()
      const problem = document.getElementById('passkey-register-error')
      const button = register.querySelector('button')
      const csrf = register.dataset.csrf
      button.disabled = true
      try {
        const optionsJSON = await postJson('/api/passkeys/registration-options', {}, csrf)
        const credential = await webauthn.startRegistration({ optionsJSON })
        await postJson('/api/passkeys', { name: register.elements.name.value, credential }, csrf)
        window.location.assign('/security?added=1')
      } catch (error) {
        // An expired access token: the page renews it on reload.
        if (error && error.status === 401 && String(error.code).startsWith('AUTH_')) window.location.reload()
        show(problem, explain(error))
        button.disabled = false
      }
    })
  }
  const unsupported = document.getElementById('passkey-unsupported')
  if (unsupported && !supported) unsupported.hidden = false

  // Step-up page: confirm it is you with a passkey of this account.
  const stepUp = document.getElementById('passkey-step-up')
  if (stepUp && supported) {
    stepUp.hidden = false
    stepUp.addEventListener('click', async function () {
      const problem = document.getElementById('passkey-error')
      const csrf = stepUp.dataset.csrf
      stepUp.disabled = true
      try {
        const optionsJSON = await postJson('/api/auth/passkey/step-up-options', {}, csrf)
        const credential = await webauthn.startAuthentication({ optionsJSON })
        await postJson('/api/auth/passkey/step-up', { credential }, csrf)
        window.location.assign(stepUp.dataset.returnTo || '/')
      } catch (error) {
        show(problem, explain(error))
        stepUp.disabled = false
      }
    })
  }
})()
