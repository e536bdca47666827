/**
 * The one place that makes a URL safe to show or store: WHIP endpoints and danmaku feeds may
 * carry a user name and password, a `?token=`, or a provider's stream key in the query, and those
 * must never reach the snapshot, an error message, a log or localStorage.
 */

/** What is shown instead of a secret. */
export const REDACTED = '***'

/**
 * Query parameter names that hold a secret by their name (token, key, secret, password, auth,
 * signature, credential, session, jwt…); matched anywhere in the name, case-insensitively.
 */
const SECRET_NAME = /token|key|secret|pass|pwd|auth|sig|credential|session|sid|jwt|bearer|ticket|code|access|private/i

/**
 * A value that looks like a secret whatever its name: 16+ characters of token alphabet with both
 * letters and digits (stream keys, JWTs, hex or base64 ids). Short values like `room=12` stay.
 */
function looksLikeToken(value: string): boolean {
  return value.length >= 16 && /^[A-Za-z0-9._~+/=-]+$/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value)
}

/** How much of the query to hide. */
export type RedactQuery = 'all' | 'secrets' | 'drop'

/**
 * Returns `input` without user name, password and fragment, and with query values hidden:
 * `'all'` hides every value (a WHIP endpoint: providers put stream keys under any name),
 * `'secrets'` hides values whose name or shape says secret (a danmaku feed), `'drop'` removes the
 * query entirely (what is stored). Parameter names stay, so the user can still recognise the URL.
 * Text that is not an absolute URL is cut to 200 characters with anything after `?`, `#` or an
 * `@` hidden, since it may still contain a pasted secret.
 */
export function redactUrl(input: string, query: RedactQuery = 'secrets'): string {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return redactText(input)
  }
  // Only the schemes with an authority are rebuilt; `user:pass@host` parses as an opaque URL.
  if (!/^(https?|wss?):$/.test(url.protocol)) return redactText(input)
  // Rebuilt by hand: the URL setters would percent-encode the mask (`%2A%2A%2A`).
  const base = `${url.protocol}//${url.host}${url.pathname}`
  if (query === 'drop' || url.search === '') return base
  const parts: string[] = []
  for (const [name, value] of url.searchParams) {
    const hide = query === 'all' ? value !== '' : SECRET_NAME.test(name) || looksLikeToken(value)
    parts.push(`${encodeURIComponent(name)}=${hide ? REDACTED : encodeURIComponent(value)}`)
  }
  return parts.length ? `${base}?${parts.join('&')}` : base
}

/** Free text that failed to parse as a URL: bounded, with what may be a credential hidden. */
function redactText(input: string): string {
  let text = input.trim()
  const cut = text.search(/[?#]/)
  if (cut >= 0) text = `${text.slice(0, cut)}?${REDACTED}`
  // `user:pass@host` without a scheme: hide what comes before the @.
  text = text.replace(/^[^/@]*@/, `${REDACTED}@`)
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}
