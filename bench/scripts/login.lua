-- wrk script for serve-wrk.sh: POST /login with the right password, each request as
-- one of ACCOUNTS people (bench1..N@bench.example) from a random address (sent as
-- X-Forwarded-For; the server trusts 127.0.0.1 as its proxy): many people signing
-- in at once, not one address hammering one account, which the guard throttles.
-- The pre-session CSRF token is any value equal to the mamori_pre cookie.
local n = tonumber(os.getenv("ACCOUNTS"))
local pw = os.getenv("PASSWORD"):gsub(" ", "+")
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = "mamori_pre=bench",
}

request = function()
  headers["X-Forwarded-For"] = "198.51." .. math.random(0, 255) .. "." .. math.random(1, 254)
  local body = "csrf=bench&email=bench" .. math.random(n) .. "%40bench.example&password=" .. pw .. "&totp="
  return wrk.format("POST", "/login", headers, body)
end
