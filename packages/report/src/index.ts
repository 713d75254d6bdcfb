export { buildReport, type BuiltReport } from './build.js';
export { loadModel, type ModelOptions, type ReportModel } from './model.js';
export { lineageGraphOf, type LineageGraph, type LineageGraphEdge, type LineageGraphNode } from './lineage.js';
export { serveReport } from './serve.js';
