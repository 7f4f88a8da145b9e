// The Function app worker's cold start without the Functions host (which cannot run here): starts the
// worker as the host does, with --functions-uri pointing at a listener of ours, and prints the ms from
// spawn until the worker opens its gRPC stream: ready for the host's first invocation. The worker opens it
// before its other hosted services (the bootstrap, the key ring's warm-up) start.
// Its configuration comes from the environment (Storage__ConnectionString, Keys__Store, ...).
//   node worker-start.js path/to/AuthFunctions.FunctionApp.dll
const net = require("net"), { spawn } = require("child_process");
const dll = process.argv[2];
let started, worker, log = "";
const fail = message => { console.error(`worker-start: ${message}\n${log.slice(-3000)}`); if (worker) worker.kill(); process.exit(1); };
const listener = net.createServer(socket => socket.once("data", () => {
  const ms = Number((process.hrtime.bigint() - started) / 1000000n);
  // Gone before we are: nothing of this worker may run beside what is measured next.
  worker.removeAllListeners("exit");
  worker.on("exit", () => { console.log(ms); process.exit(0); });
  worker.kill();
  setTimeout(() => worker.kill("SIGKILL"), 5000).unref();
}));
listener.listen(0, "127.0.0.1", () => {
  const uri = `http://127.0.0.1:${listener.address().port}/`;
  started = process.hrtime.bigint();
  worker = spawn("dotnet", [dll, "--functions-uri", uri, "--functions-worker-id", "load", "--functions-request-id", "load",
    "--functions-grpc-max-message-length", "2147483647"], { stdio: ["ignore", "pipe", "pipe"] });
  worker.stdout.on("data", d => log += d);
  worker.stderr.on("data", d => log += d);
  worker.on("exit", code => fail(`the worker exited (${code}) before it called the host.`));
  setTimeout(() => fail("no gRPC stream from the worker within 60 s."), 60000).unref();
});
