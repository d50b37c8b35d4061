// A modified client holding a staff device's token: the real JS automerge-repo
// client writing what no Storeops command would.
//
//   node attacker.mjs WS_URL DOCUMENT_ID TASK_ID ATTACK
//
// Applies ATTACK (see `attacks` below) to the tasks document, waits for it to be
// sent, prints {"attack": ..., "applied": true} and exits 0. What the relay did
// with it is for the caller to check.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";

const [url, documentId, taskId, attack] = process.argv.slice(2);
if (!url || !documentId || !taskId || !attack) {
  console.error("usage: node attacker.mjs WS_URL DOCUMENT_ID TASK_ID ATTACK");
  process.exit(2);
}
const timeout = setTimeout(() => {
  console.error("timed out after 20 s");
  process.exit(3);
}, 20_000);

const attacks = {
  title_number: (t) => { t.title = 42; },
  checklist_string: (t) => { t.checklist = "x"; },
  status_exploded: (t) => { t.status = "exploded"; },
  assignee_nested: (t) => { t.assignee = { nested: [1, 2] }; },
  title_2mb: (t) => { t.title = "x".repeat(2_000_000); },
  ten_thousand_keys: (t) => { for (let i = 0; i < 10_000; i++) t[`k${i}`] = i; },
  reassign: (t) => { t.assignee = "person:someone-else"; },
  complete_as_other: (t) => {
    t.status = "done";
    t.completed_at = Date.now();
    t.completed_by = "Store manager";
    t.completed_by_person = "p-someone-else";
  },
  forged_message: (t) => { t.status = "in_progress"; },
};
const whole = {
  schema_99: (d) => { d.schema = 99; },
  delete_all: (d) => { for (const k of Object.keys(d.tasks)) delete d.tasks[k]; },
};

const repo = new Repo({ network: [new WebSocketClientAdapter(url)] });
const handle = await repo.find(`automerge:${documentId}`);
const doc = handle.doc();
if (!doc?.tasks?.[taskId]) {
  console.error(`no task ${taskId} in the document`);
  process.exit(5);
}
const message = attack === "forged_message" ? "Store manager approved the week's plan" : undefined;
if (attacks[attack]) {
  handle.change((d) => attacks[attack](d.tasks[taskId]), { message });
} else if (whole[attack]) {
  handle.change((d) => whole[attack](d));
} else {
  console.error(`unknown attack ${attack}`);
  process.exit(2);
}
await new Promise((r) => setTimeout(r, 1500));
clearTimeout(timeout);
console.log(JSON.stringify({ attack, applied: true }));
process.exit(0);
