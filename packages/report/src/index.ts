export { buildReport, type BuiltReport } from './build.js';
export { loadModel, type ModelOptions, type ReportModel } from './model.js';
export { lineageOf, type LineageEdge, type LineageNode } from './lineage.js';
export { serveReport } from './serve.js';
