// The client runs in a browser: give its files the DOM types (the rest of the repo is typed for Node).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Game server origin baked in by the Vite dev server (empty in a build: the page's own origin is used). */
declare const __LAIRMIND_SERVER__: string;
