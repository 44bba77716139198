// The ES module entry of @odx/engine: the same addon as index.js (its named
// exports, read by Node from the CommonJS loader), for `import`.
export * from './index.js';
export { default } from './index.js';
