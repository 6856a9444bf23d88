// For Node notebooks (tslab): loads the library's ESM TypeScript sources through tsx.
//
// tslab compiles every cell to CommonJS (so a cell's `import()` becomes `require()`) and type-checks it
// with its own TypeScript 5.0, which rejects the `.ts`-suffixed imports of src/. A cell can still
// `require()` this plain ES module (Node >= 20.19 loads ES modules from require), and the real
// `import()` below runs here, through tsx's loader, with top-level await and ESM-only dependencies
// (vega) working as they do under `node --import tsx`.
import { tsImport } from "tsx/esm/api";

/** Imports a TypeScript (or any) module, resolved from the notebooks folder. */
export function importTs(specifier) {
  return tsImport(specifier, import.meta.url);
}
