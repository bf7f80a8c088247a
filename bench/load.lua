-- wrk script of bench/bench_load.py: sends pre-signed Twilio webhooks read from a file
-- (one request a line: signature TAB form body), each once, in file order; when the list
-- runs out the thread stops. done() prints one JSON line the Python side reads.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local path = args[1]
  local nthreads = tonumber(args[2])
  local path_part = args[3] or "/webhooks/twilio"
  requests = {}
  local index = 0
  for line in io.lines(path) do
    if index % nthreads == id then
      local tab = line:find("\t", 1, true)
      local signature = line:sub(1, tab - 1)
      local body = line:sub(tab + 1)
      table.insert(requests, wrk.format("POST", path_part, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = signature,
        ["Host"] = "127.0.0.1",
      }, body))
    end
    index = index + 1
  end
  issued = 0
  non2xx = 0
end

function request()
  if not primed then
    -- wrk calls request() once before the load to check it; that one is never sent
    primed = true
    return requests[1]
  end
  if issued >= #requests then
    wrk.thread:stop()
    return requests[#requests]
  end
  issued = issued + 1
  return requests[issued]
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests_)
  local issued_total, non2xx_total = 0, 0
  for _, thread in ipairs(threads) do
    issued_total = issued_total + thread:get("issued")
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
    '"timeouts": %d, "issued": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, issued_total, non2xx_total))
end
