/// <reference types="vite/client" />
import type { DoppelApi } from '../../src-core/api';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present in the Electron app (preload); absent when a browser talks to `doppel serve`. */
    doppel?: DoppelApi;
  }
}
