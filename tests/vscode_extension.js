// Runs editors/vscode/extension.js outside VS Code: the `vscode` API and the LanguageClient class are
// replaced by recorders (VS Code itself cannot run here), then the server the extension asked for is
// started as vscode-languageclient starts it (args + --stdio) and spoken to with vscode-jsonrpc, the
// extension's own JSON-RPC stack. Prints one JSON object for the Python test to check.
//
//   node vscode_extension.js EXTENSION_DIR REPORTTOOL DRAFT
"use strict";

const Module = require("module");
const path = require("path");
const cp = require("child_process");
const fs = require("fs");

const [extensionDir, reporttool, draft] = process.argv.slice(2).map((arg, i) => (i === 1 ? arg : path.resolve(arg)));
const rpc = require(path.join(extensionDir, "node_modules", "vscode-jsonrpc", "node"));

const seen = { clients: [], errors: [], commands: [] };
let failStart = false;
const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === "reporttool" && key === "path" ? seen.path : undefined) }),
    onDidChangeConfiguration: (listener) => { seen.onConfig = listener; return { dispose() {} }; },
  },
  window: { showErrorMessage: (message) => { seen.errors.push(message); } },
  commands: { registerCommand: (name, run) => { seen.commands.push(name); seen[name] = run; return { dispose() {} }; } },
};
class LanguageClient {
  constructor(id, name, server, client) {
    this.record = { id, name, server, documentSelector: client.documentSelector, stopped: false };
    seen.clients.push(this.record);
  }
  start() { return failStart ? Promise.reject(new Error("spawn reporttool ENOENT")) : Promise.resolve(); }
  stop() { this.record.stopped = true; return Promise.resolve(); }
}
const stubs = { vscode, "vscode-languageclient/node": { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2 } } };
const load = Module._load;
Module._load = function (request, ...rest) {
  return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : load.call(this, request, ...rest);
};

async function main() {
  const extension = require(path.join(extensionDir, "extension.js"));
  seen.path = reporttool;
  await extension.activate({ subscriptions: [] });
  await seen["reporttool.restart"]();  // the restart command: the old client stopped, a new one started
  failStart = true;
  await seen.onConfig({ affectsConfiguration: (key) => key === "reporttool.path" });
  failStart = false;

  // what vscode-languageclient does with an Executable and TransportKind.stdio
  const server = seen.clients[0].server;
  const args = server.transport === 0 ? [...server.args, "--stdio"] : server.args;
  const child = cp.spawn(server.command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout),
                                                 new rpc.StreamMessageWriter(child.stdin));
  const diagnostics = new Promise((resolve) => {
    connection.onNotification("textDocument/publishDiagnostics", (params) => resolve(params));
  });
  connection.listen();
  const init = await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification("initialized", {});
  const uri = "file://" + path.resolve(draft);
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "yaml", version: 1, text: fs.readFileSync(draft, "utf8") } });
  const published = await diagnostics;
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  const code = await new Promise((resolve) => child.on("exit", resolve));
  connection.dispose();
  process.stdout.write(JSON.stringify({
    clients: seen.clients, commands: seen.commands, errors: seen.errors, args,
    serverName: init.serverInfo && init.serverInfo.name, published, exitCode: code }));
}

main().catch((error) => { console.error(error); process.exit(1); });
