-- POST /api/authentication/magma with the load client's key (LOAD_SECRET from the environment).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"magmaName":"load-client","secret":"' .. os.getenv("LOAD_SECRET") .. '"}'
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
