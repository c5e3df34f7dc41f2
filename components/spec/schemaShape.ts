// The shape of schema.json the input checks read (a leaf module: the generated args' shape and
// the checks both import it).

export interface SchemaProperty {
    $ref?: string;
    type?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    plain?: boolean;
    description?: string;
}
export interface Schema {
    name: string;
    resources: Record<string, { inputProperties: Record<string, SchemaProperty>; requiredInputs?: string[] }>;
    types: Record<string, { type?: string; properties?: Record<string, SchemaProperty>; required?: string[]; enum?: { value: unknown }[] }>;
}
