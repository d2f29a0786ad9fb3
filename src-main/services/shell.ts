/**
 * What only the desktop shell can do (native dialogs, revealing a file), offered to the contract
 * through the core. `serve` has none of it: those operations answer NOT_AVAILABLE there.
 */
export interface ShellAdapter {
  /** A file chosen in the native open dialog, or null when cancelled. */
  chooseFile(options: { title: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>
  /** A folder chosen (or created) in the native dialog, or null when cancelled. */
  chooseFolder(options: { title: string }): Promise<string | null>
  /** Shows a file or folder in the system file manager. */
  reveal(path: string): Promise<void>
}
