// The real JS automerge-repo client against a Storeops relay.
//
//   node client.mjs WS_URL DOCUMENT_ID TASK_ID NEW_TITLE
//
// Finds the tasks document, prints {"titles": [...]} (what it received from the
// relay), renames task TASK_ID to NEW_TITLE, waits for the change to be sent,
// and exits 0. Any failure exits non-zero with a message on stderr.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const [url, documentId, taskId, newTitle] = process.argv.slice(2);
if (!url || !documentId || !taskId || !newTitle) {
  console.error("usage: node client.mjs WS_URL DOCUMENT_ID TASK_ID NEW_TITLE");
  process.exit(2);
}

const timeout = setTimeout(() => {
  console.error("timed out after 20 s");
  process.exit(3);
}, 20_000);

const repo = new Repo({ network: [new WebSocketClientAdapter(url)] });
const handle = await repo.find(`automerge:${documentId}`);
const doc = handle.doc();
if (!doc || !doc.tasks) {
  console.error("the document arrived without tasks");
  process.exit(4);
}
const titles = Object.values(doc.tasks).map((t) => t.title);
console.log(JSON.stringify({ titles }));
if (!doc.tasks[taskId]) {
  console.error(`no task ${taskId} in the document`);
  process.exit(5);
}
handle.change((d) => {
  d.tasks[taskId].title = newTitle;
});
// Give the sync round time to reach the relay, then leave.
await new Promise((r) => setTimeout(r, 1500));
clearTimeout(timeout);
repo.shutdown?.();
process.exit(0);
