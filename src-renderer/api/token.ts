/**
 * The access token of `rnn-lab serve`: read once from `?token=` on first load, kept in
 * sessionStorage, and removed from the visible URL.
 */
const STORAGE_KEY = 'rnn-lab.token'

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

function store(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token)
  } catch {
    /* storage disabled: keep it in memory only */
  }
}

/** Takes the token out of the URL (if there) and returns the token to use, or null. */
export function takeToken(): string | null {
  const url = new URL(location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    store(fromUrl)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return readStored()
}
