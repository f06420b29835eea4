// The API reference at /docs/reference: Scalar's standalone bundle (served from the gateway, no CDN) on the gateway's
// own OpenAPI document, with everything that is not this API turned off: no API-client upsell, no developer tools,
// no AI agent or MCP, no telemetry, no fonts from Scalar's servers, no request proxy (try-it calls this origin).
/* global Scalar */
Scalar.createApiReference('#reference', {
  url: '/openapi/v1.json',
  hideClientButton: true,
  showDeveloperTools: 'never',
  telemetry: false,
  withDefaultFonts: false,
  persistAuth: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  hideDarkModeToggle: false,
  orderRequiredPropertiesFirst: true,
  documentDownloadType: 'json',
});
