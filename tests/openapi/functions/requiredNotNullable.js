// A schema's required properties must not allow null: not in `type`, not as a oneOf/anyOf branch.
const allowsNull = (schema) =>
  !!schema && (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))
    || (Array.isArray(schema.oneOf) && schema.oneOf.some(allowsNull))
    || (Array.isArray(schema.anyOf) && schema.anyOf.some(allowsNull)));

export default function requiredNotNullable(schema, _options, context) {
  if (!Array.isArray(schema.required) || typeof schema.properties !== 'object') return [];
  return schema.required
    .filter((name) => allowsNull(schema.properties[name]))
    .map((name) => ({ message: `required property "${name}" allows null`, path: [...context.path, 'properties', name] }));
}
