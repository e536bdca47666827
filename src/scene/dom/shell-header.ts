/**
 * CSS variable holding the bottom edge of the page header, in px: the shell's overlay publishes it, and DOM
 * overlays of an experience (the mascot's AR buttons) start below it. Here, below both, so neither imports the other.
 */
export const SHELL_HEADER_VAR = '--lj-shell-header-bottom'
