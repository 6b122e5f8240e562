// `plumb serve` as a child process, for the browser tests and bench/serve.js: no dependency
// beyond node itself.
"use strict";
const { spawn } = require("node:child_process");

// Starts `bin serve ARGS` and resolves, once it says where it serves, to {proc, lines (stdout,
// line by line), url, stderr, output() (all it printed, for failure messages), stop()}. Rejects
// when it exits first or says nothing within `timeout` ms.
function spawnServe(bin, args, { timeout = 30000 } = {}) {
  const proc = spawn(bin, ["serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines = [];
  let stderr = "";
  let partial = "";
  let exited = null;
  const server = {
    proc,
    lines,
    url: null,
    get stderr() { return stderr; },
    output() {
      return `--- plumb serve ${args.join(" ")} (stdout) ---\n${lines.join("\n")}${partial}\n` +
        `--- stderr ---\n${stderr}--- end of server output ---`;
    },
    // SIGTERM, then SIGKILL after 5 s; resolves once the process is gone.
    stop() {
      if (exited) return exited;
      exited = new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const hard = setTimeout(() => proc.kill("SIGKILL"), 5000);
        proc.once("exit", () => { clearTimeout(hard); resolve(); });
        proc.kill("SIGTERM");
      });
      return exited;
    },
  };
  proc.stdout.setEncoding("utf8");
  proc.stderr.setEncoding("utf8");
  proc.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.stop();
      reject(new Error(`plumb serve did not say where it serves within ${timeout / 1000} s\n` + server.output()));
    }, timeout);
    proc.stdout.on("data", (d) => {
      partial += d;
      const parts = partial.split("\n");
      partial = parts.pop();
      for (const line of parts) {
        lines.push(line);
        const m = !server.url && /Serving (http:\/\/\S+\/)/.exec(line);
        if (m) {
          server.url = m[1];
          clearTimeout(timer);
          resolve(server);
        }
      }
    });
    proc.once("exit", (code, signal) => {
      if (!server.url) {
        clearTimeout(timer);
        reject(new Error(`plumb serve exited (${code ?? signal}) before serving\n` + server.output()));
      }
    });
    proc.once("error", reject);
  });
}

module.exports = { spawnServe };
