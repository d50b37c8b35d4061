// The reference JS relay for benchmarks: what automerge-repo-sync-server does —
// a Repo with a NodeWSServerAdapter on a `ws` server and a NodeFSStorageAdapter in
// a data directory — on a plain Node http server (no express, no static files).
//
//   node server.mjs [--port 3030] [--data-dir .amrg]
//
// Prints `listening on PORT` once it accepts connections. Like the sync server,
// its share policy announces nothing: a client gets the documents it asks for by
// id, and the changes other clients make to them. There is no authentication.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { WebSocketServer } from "ws";
import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const port = parseInt(arg("port", process.env.PORT ?? "3030"), 10);
const dir = arg("data-dir", process.env.DATA_DIR ?? ".amrg");
fs.mkdirSync(dir, { recursive: true });

const socket = new WebSocketServer({ noServer: true });
const repo = new Repo({
  network: [new NodeWSServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: `storage-server-${os.hostname()}`,
  // A server does not share generously: it syncs the documents a peer asks for.
  sharePolicy: async () => false,
});

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("automerge-repo reference relay\n");
});
server.on("upgrade", (request, s, head) => {
  socket.handleUpgrade(request, s, head, (ws) => socket.emit("connection", ws, request));
});
server.listen(port, "127.0.0.1", () => {
  console.log(`listening on ${server.address().port}`);
});

const stop = async () => {
  server.close();
  await repo.shutdown?.();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
