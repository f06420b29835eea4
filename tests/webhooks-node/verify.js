// Verifies one webhook delivery with the official Standard Webhooks library.
// Usage: node verify.js <case.json>, where case.json is {"secret", "headers": {"webhook-id", "webhook-timestamp", "webhook-signature"}, "body"}.
// Exit code 0 and "verified <id>" when the signature is valid; 1 otherwise. With "expect_invalid": true the meaning is reversed.
"use strict";
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
// The library takes the secret with or without the whsec_ prefix; it strips it itself.
const wh = new Webhook(input.secret);
try {
  const payload = wh.verify(input.body, input.headers);
  if (input.expect_invalid) {
    console.error("expected verification to fail, but it passed");
    process.exit(1);
  }
  console.log(`verified ${input.headers["webhook-id"]} (${payload.type})`);
} catch (e) {
  if (input.expect_invalid) {
    console.log(`rejected as expected: ${e.message}`);
    process.exit(0);
  }
  console.error(`verification failed: ${e.message}`);
  process.exit(1);
}
