-- GET /rs/authorise with the load user's Basic credentials (a password hash check per request).
wrk.method = "GET"
wrk.headers["Authorization"] = "Basic " .. os.getenv("LOAD_USER_BASIC")
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
