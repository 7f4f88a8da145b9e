-- POST /connect/token on the reference server (bench/AuthFunctions.Reference: OpenIddict), grant_type=client_credentials, the client
-- authenticated with Basic (RFC 6749 §2.3.1): the yardstick beside bench/load/client-credentials.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("LOAD_REFERENCE_BASIC")
wrk.body = "grant_type=client_credentials"
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
