/**
 * DevTools exist only in development (an unpackaged app or the dev server): the shipped app has no
 * menu entry, no shortcut and no `webPreferences.devTools`. Pure (type-only electron import).
 */
import type { MenuItemConstructorOptions } from 'electron'

export function devToolsAllowed(isPackaged: boolean, devUrl?: string): boolean {
  return !isPackaged || Boolean(devUrl)
}

export function viewMenu(devTools: boolean): MenuItemConstructorOptions {
  const debug: MenuItemConstructorOptions[] = devTools ? [{ role: 'toggleDevTools' }] : []
  return {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...debug,
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  }
}
