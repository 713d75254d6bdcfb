export function standaloneValidators(schemas: Record<string, object>, options: Record<string, unknown>): Promise<string>;
export function expectCurrentValidators(path: string, schemas: Record<string, object>, options: Record<string, unknown>): Promise<void>;
