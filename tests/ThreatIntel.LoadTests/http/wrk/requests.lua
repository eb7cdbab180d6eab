-- wrk script of the HTTP load test (../run.sh): sends pre-generated requests in rotation and prints one
-- machine-readable result line.
--
--   wrk -t2 -c32 -d20s -s requests.lua http://host:port -- FILE METHOD PATH API_KEY [DELAY_MS]
--
-- FILE     one request per line: a JSON body (METHOD POST, sent to PATH) or a path with query (METHOD GET, PATH "-")
-- API_KEY  sent as X-Api-Key (the ceiling ignores it); POST bodies go with Content-Type: application/json
-- DELAY_MS optional pause before each request of a connection, in (fractional) milliseconds: wrk's delay() is whole
--          milliseconds, so each pause is rounded up or down at random to keep the mean. Pacing: with C connections
--          the offered rate is about C / (DELAY + latency).
--
-- done() prints `WRK_RESULT {json}`: requests, duration_us, bytes, the socket errors (connect, read, write, timeout),
-- status (responses with a status >= 400, as wrk counts them), and latency percentiles in microseconds.

local requests = {}
local next_index = 1
local delay_ms = 0
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

function init(args)
  local file, method, path, key = args[1], args[2], args[3], args[4]
  if not (file and method and path and key) then
    error("usage: -- FILE METHOD PATH API_KEY [DELAY_MS]")
  end
  delay_ms = tonumber(args[5] or "0") or 0
  local headers = { ["X-Api-Key"] = key, ["Accept"] = "application/json" }
  if method == "POST" then
    headers["Content-Type"] = "application/json"
  end
  for line in io.lines(file) do
    if line ~= "" then
      if method == "POST" then
        requests[#requests + 1] = wrk.format("POST", path, headers, line)
      else
        requests[#requests + 1] = wrk.format(method, line, headers)
      end
    end
  end
  if #requests == 0 then
    error("no requests in " .. file)
  end
  -- Threads start at different places in the list.
  local number = thread_number or 1
  next_index = ((number - 1) * 7919) % #requests + 1
  math.randomseed(os.time() * 1000 + number)
  if delay_ms > 0 then
    -- Defined only when pacing: wrk checks for delay() after init and then calls it before every request.
    function delay()
      local whole = math.floor(delay_ms)
      if math.random() < delay_ms - whole then
        return whole + 1
      end
      return whole
    end
  end
end

function request()
  local r = requests[next_index]
  next_index = next_index + 1
  if next_index > #requests then
    next_index = 1
  end
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"status":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
