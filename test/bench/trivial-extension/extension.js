// The baseline for activation: registers one tree view with three fixed items and does nothing else.
const vscode = require('vscode');

const ITEMS = ['trivial item one', 'trivial item two', 'trivial item three'];

function activate(context) {
  const provider = {
    getChildren: (element) => (element ? [] : ITEMS),
    getTreeItem: (label) => new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None),
  };
  context.subscriptions.push(vscode.window.registerTreeDataProvider('benchTrivial.items', provider));
}

function deactivate() {}

module.exports = { activate, deactivate };
