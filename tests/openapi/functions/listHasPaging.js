// A GET whose 200 answer is a list object ({"object":"list","data":[…],"has_more":…}) declares the cursor parameters.
const resolve = (document, schema) => {
  if (schema && typeof schema.$ref === 'string') {
    return schema.$ref.replace(/^#\//, '').split('/').reduce((node, key) => (node ? node[key] : undefined), document);
  }
  return schema;
};

export default function listHasPaging(operation, _options, context) {
  const document = context.document.data;
  const schema = resolve(document, operation?.responses?.['200']?.content?.['application/json']?.schema);
  if (operation["x-unpaged-list"]) return []; // answers everything at once, and says why
  if (!schema || !schema.properties || !schema.properties.has_more) return [];
  const names = new Set((operation.parameters || []).map((p) => resolve(document, p)?.name));
  return ['limit', 'starting_after', 'ending_before']
    .filter((name) => !names.has(name))
    .map((name) => ({ message: `list operation does not declare the query parameter ${name}`, path: [...context.path, 'parameters'] }));
}
