-- wrk script: one-shot card payments (create + confirm in one call) against a running gateway.
-- Needs PG_SK (secret key) and PG_PM (a pm_ id tokenized with a test card) in the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PG_SK")
wrk.body = '{"amount":1000,"currency":"EUR","payment_method":"' .. os.getenv("PG_PM") .. '","confirm":true}'
-- wrk prints "Non-2xx or 3xx responses: N" itself when any request did not succeed.
