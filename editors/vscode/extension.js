// Starts `reporttool lsp` for YAML files; the server itself decides which files are drafts.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("reporttool").get("path") || "reporttool";
  return { command, args: ["lsp"], transport: TransportKind.stdio };
}

async function start() {
  const options = serverOptions();
  client = new LanguageClient("reporttool", "reporttool", options, {
    documentSelector: [{ scheme: "file", language: "yaml" }, { scheme: "untitled", language: "yaml" }],
  });
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    vscode.window.showErrorMessage(
      `无法启动 reporttool（${options.command} lsp）：${error && error.message ? error.message : error}。` +
        "请先安装 reporttool，或在设置“reporttool.path”中写出它的完整路径。");
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("reporttool.restart", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("reporttool.path")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions };
