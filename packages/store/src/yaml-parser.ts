// The YAML parser, loaded on demand through this module (`await import('./yaml-parser.js')`):
// a bundled bin imports a CommonJS package lazily only through an ES module in between (esbuild
// would otherwise hand it `default` alone, evanw/esbuild#3245).
export { parse } from 'yaml';
