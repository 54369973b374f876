/**
 * The page's Content-Security-Policy, sent by the browser-mode server and the Electron session:
 * only its own scripts, its own styles (inline ones for Vue's style bindings), calls back to its
 * own origin, images from itself or data:/blob: URLs (exported figures).
 */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:"
