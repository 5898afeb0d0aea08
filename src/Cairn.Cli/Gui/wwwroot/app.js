// Cairn's GUI: every action is a cairn command line, shown in the command line window before it runs.
"use strict";
const $ = (selector) => document.querySelector(selector);
let repository = null;
let snapshots = [];
let pending = null;
let events = null;

async function post(path, args) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ repository, arguments: args }),
  });
  if (!response.ok) throw new Error((await response.text()).trim());
  return response.json();
}

function errorLine(result) {
  const lines = result.error.trim().split("\n").filter((l) => l.startsWith("cairn:"));
  return lines.length ? lines[lines.length - 1] : `cairn exited with code ${result.exit_code}`;
}

async function loadRepositories() {
  const list = await (await fetch("/api/repositories")).json();
  const select = $("#repository");
  select.replaceChildren(...list.map((r) => new Option(`${r.name} (${r.url})`, r.name)));
  select.addEventListener("change", () => openRepository(select.value));
  if (list.length) openRepository(list[0].name);
  else setStatus("No repository: start 'cairn ui' with -r or define [repository.NAME] in cairn.toml.", true);
}

function openRepository(name) {
  repository = name;
  if (events) events.close();
  events = new EventSource(`/api/events?repository=${encodeURIComponent(name)}`);
  events.addEventListener("snapshots", () => refreshSnapshots());
  events.onerror = () => { $("#live").textContent = "reconnecting…"; };
  events.onopen = () => { $("#live").textContent = "live"; };
}

async function refreshSnapshots() {
  try {
    const result = await post("/api/query", ["snapshots"]);
    if (result.exit_code !== 0) { setStatus(errorLine(result), true); return; }
    snapshots = JSON.parse(result.output);
    renderSnapshots();
  } catch (e) {
    setStatus(e.message, true);
  }
}

function renderSnapshots() {
  const filter = $("#filter").value.trim().toLowerCase();
  const rows = snapshots.slice().reverse().filter((s) => !filter
    || [s.id, s.host, ...(s.paths || []), ...(s.tags || [])].some((v) => String(v).toLowerCase().includes(filter)));
  $("#snapshots tbody").replaceChildren(...rows.map((s) => {
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    for (const [text, cls] of [[s.id.slice(0, 8), "id"], [new Date(s.time).toLocaleString(), ""], [s.host, ""],
      [(s.paths || []).join(" "), ""], [(s.tags || []).join(", "), ""], [humanBytes(s.summary?.total_bytes ?? 0), ""]]) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  }));
  $("#snapshots-empty").hidden = snapshots.length > 0;
}

function humanBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return i === 0 ? `${n} B` : `${n.toFixed(2)} ${units[i]}`;
}

function setStatus(text, isError) {
  const status = $("#status");
  status.textContent = text;
  status.className = isError ? "error" : "ok";
}

// Shows the command an action runs and waits for the user to confirm it.
async function propose(args, describe) {
  let preview;
  try {
    preview = await post("/api/preview", args);
  } catch (e) {
    setStatus(e.message, true);
    return;
  }
  pending = { args, describe, command: preview.command };
  $("#command-pending code").textContent = preview.command;
  $("#command-pending").hidden = false;
  $("#confirm").focus();
}

async function confirm() {
  if (!pending) return;
  const { args, describe, command } = pending;
  pending = null;
  $("#command-pending").hidden = true;
  const started = Date.now();
  const timer = setInterval(() => setStatus(`running… ${Math.round((Date.now() - started) / 1000)} s`, false), 500);
  setStatus("running…", false);
  try {
    const result = await post("/api/run", args);
    logCommand(command, result.exit_code);
    if (result.exit_code === 0 || result.exit_code === 3) setStatus(describe(JSON.parse(result.output)), result.exit_code !== 0);
    else setStatus(errorLine(result), true);
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    clearInterval(timer);
  }
}

function logCommand(command, exitCode) {
  const li = document.createElement("li");
  const code = document.createElement("code");
  code.textContent = command;
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy";
  copy.addEventListener("click", () => navigator.clipboard?.writeText(command));
  li.append(`${new Date().toLocaleTimeString()} — exit ${exitCode}`, code, copy);
  $("#command-log").prepend(li);
}

$("#backup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const paths = $("#backup-paths").value.split("\n").map((p) => p.trim()).filter(Boolean);
  const tags = $("#backup-tags").value.split(",").map((t) => t.trim()).filter(Boolean);
  const args = ["backup", ...tags.flatMap((t) => ["--tag", t]), ...paths];
  propose(args, (r) => `snapshot ${r.snapshot_id.slice(0, 8)} saved: ${r.summary.files_new} new, ${r.summary.files_changed} changed, ${humanBytes(r.summary.data_added)} added`);
});
$("#confirm").addEventListener("click", confirm);
$("#cancel").addEventListener("click", () => { pending = null; $("#command-pending").hidden = true; setStatus("cancelled", false); });
$("#command-pending .copy").addEventListener("click", () => navigator.clipboard?.writeText($("#command-pending code").textContent));
$("#filter").addEventListener("input", renderSnapshots);
loadRepositories();
