-- POST /oauth2/introspect (RFC 7662) of live tokens taken in turn from a pool (LOAD_TOKENS, one per
-- line: distinct tokens, so every request reads its own record), the caller authenticated as the load client.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("LOAD_CLIENT_BASIC")

local bodies = {}
for line in io.lines(os.getenv("LOAD_TOKENS")) do
  bodies[#bodies + 1] = "token=" .. line
end
local next_body = 0

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
