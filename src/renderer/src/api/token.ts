// The server prints a URL with `?token=`; the page keeps the token for the tab's life and takes it
// out of the address bar so it does not end up in bookmarks, screenshots or shared links.

const STORAGE_KEY = 'grokking-lab.token'

/** The API token: from `?token=` on first load (then removed from the URL), else from this tab's storage. */
export function takeToken(): string | null {
  const params = new URLSearchParams(window.location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    try {
      sessionStorage.setItem(STORAGE_KEY, fromUrl)
    } catch {
      // Storage can be disabled; the token then lives only as long as this page.
    }
    params.delete('token')
    const search = params.toString()
    const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`
    window.history.replaceState(window.history.state, '', url)
    return fromUrl
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY)
  } catch {
    // Nothing stored.
  }
}
