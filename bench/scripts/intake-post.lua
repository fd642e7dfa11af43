-- wrk script: POST a mamori scan result to /api/v1/reports (a draft per request).
-- Environment: SCAN (path of the findings JSON), TOKEN (a reporter's API token).
local f = assert(io.open(os.getenv("SCAN"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
