/// <reference types="vite/client" />

// A script file (no imports), so these declarations are global.

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

interface Window {
  /** The lab API the preload exposes (src/preload/index.ts). */
  readonly lab?: import('../../shared/api').LabBridge
}
