export function standaloneValidators(schemas: Record<string, object>, options: Record<string, unknown>, generator: string): Promise<string>;
export function expectCurrentValidators(path: string, schemaModule: string, schemas: Record<string, object>, options: Record<string, unknown>): Promise<void>;
export function generatorNote(schemaModule: string): string;
