-- POST /api/authentication/magma with many keys in turn (LOAD_KEYS, "name secret" per line), so that
-- no two logins at the same moment share their key's read: the path without coalescing.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local bodies = {}
for line in io.lines(os.getenv("LOAD_KEYS")) do
  local name, secret = line:match("^(%S+) (%S+)$")
  bodies[#bodies + 1] = '{"magmaName":"' .. name .. '","secret":"' .. secret .. '"}'
end
local next_body = 0

-- Each wrk thread starts at its own place in the list.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("first", threads * 97)
end

init = function(args)
  next_body = (first or 0) % #bodies
end

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
dofile(os.getenv("LOAD_DIR") .. "/report.lua")
