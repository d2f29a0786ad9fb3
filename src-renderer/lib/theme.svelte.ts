/**
 * Theme preference (System / Light / Dark), persisted in localStorage and applied as
 * `<html data-theme="light|dark">`. `theme.resolved` is what charts re-read their colours from.
 */
export type ThemePreference = 'system' | 'light' | 'dark'
export type ResolvedTheme = 'light' | 'dark'

const STORAGE_KEY = 'rnn-lab.theme'
const media = window.matchMedia('(prefers-color-scheme: dark)')

function readPreference(): ThemePreference {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    if (v === 'light' || v === 'dark' || v === 'system') return v
  } catch {
    /* storage disabled */
  }
  return 'system'
}

class Theme {
  preference = $state<ThemePreference>(readPreference())
  systemDark = $state(media.matches)
  resolved: ResolvedTheme = $derived(this.preference === 'system' ? (this.systemDark ? 'dark' : 'light') : this.preference)

  constructor() {
    media.addEventListener('change', (e) => {
      this.systemDark = e.matches
      this.apply()
    })
    this.apply()
  }

  set(preference: ThemePreference): void {
    this.preference = preference
    try {
      localStorage.setItem(STORAGE_KEY, preference)
    } catch {
      /* storage disabled */
    }
    this.apply()
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.resolved
  }
}

export const theme = new Theme()
