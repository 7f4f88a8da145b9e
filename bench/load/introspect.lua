-- POST /oauth2/introspect of one live token (RFC 7662), the caller authenticated as the load client.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("LOAD_CLIENT_BASIC")
wrk.body = "token=" .. os.getenv("LOAD_TOKEN")
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
