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

async function loadRepositories(choose) {
  const list = await (await fetch("/api/repositories")).json();
  const select = $("#repository");
  select.replaceChildren(...list.map((r) => new Option(`${r.name} (${r.url})`, r.name)));
  const chosen = choose ?? list[0]?.name;
  if (chosen) { select.value = chosen; openRepository(chosen); }
  else setStatus("No repository: open one, start 'cairn ui' with -r, or define [repository.NAME] in cairn.toml.", true);
}
$("#repository").addEventListener("change", () => openRepository($("#repository").value));

$("#open-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await fetch("/api/repositories", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: $("#open-url").value, password_file: $("#open-password-file").value, password_command: $("#open-password-command").value }),
  });
  if (!response.ok) { setStatus((await response.text()).trim(), true); return; }
  const opened = await response.json();
  $("#open-repository").open = false;
  await loadRepositories(opened.name);
});

function openRepository(name) {
  repository = name;
  snapshots = [];
  renderSnapshots();
  if (events) events.close();
  events = new EventSource(`/api/events?repository=${encodeURIComponent(name)}`);
  events.addEventListener("snapshots", () => refreshSnapshots());
  refreshJobs();
  refreshKeys();
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
    tr.tabIndex = 0;
    tr.addEventListener("click", () => browse(s.id, "/"));
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") browse(s.id, "/"); });
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
  for (const select of [$("#diff-from"), $("#diff-to")]) {
    const chosen = select.value;
    select.replaceChildren(...snapshots.slice().reverse().map((s) => new Option(`${s.id.slice(0, 8)} ${new Date(s.time).toLocaleString()}`, s.id)));
    if (chosen) select.value = chosen;
  }
  if (snapshots.length > 1 && !$("#diff-to").dataset.touched) $("#diff-from").selectedIndex = 1;
}

$("#diff-to").addEventListener("change", () => { $("#diff-to").dataset.touched = "1"; });
$("#diff-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await post("/api/query", ["diff", $("#diff-from").value, $("#diff-to").value]);
  if (result.exit_code !== 0) { setStatus(errorLine(result), true); return; }
  const changes = JSON.parse(result.output);
  $("#diff-result").replaceChildren(...(changes.length ? changes : [{ change: "", path: "no differences" }]).map((c) => {
    const li = document.createElement("li");
    li.textContent = `${c.change} ${c.path}`;
    return li;
  }));
});

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  propose(["key", "add", "--new-password-file", $("#key-password-file").value.trim()], (r) => { refreshKeys(); return `key ${r.id.slice(0, 8)} added`; });
});

$("#prune-plan-button").addEventListener("click", async () => {
  const result = await post("/api/query", ["prune", "--dry-run"]);
  if (result.exit_code !== 0) { setStatus(errorLine(result), true); return; }
  const plan = JSON.parse(result.output);
  const work = plan.delete_packs.length + plan.repack_packs.length;
  $("#prune-plan").textContent = work === 0
    ? "Nothing to prune: no pack is worth deleting or repacking."
    : `Would delete ${plan.delete_packs.length} packs and repack ${plan.repack_packs.length}, freeing ${humanBytes(plan.freed_bytes)}; ${plan.keep_packs} packs stay as they are.`;
  $("#prune-button").hidden = work === 0;
});
$("#prune-button").addEventListener("click", () =>
  propose(["prune"], (r) => `pruned: ${r.packs_deleted} packs deleted, ${humanBytes(r.bytes_deleted)} freed`));

async function refreshKeys() {
  const result = await post("/api/query", ["key", "list"]);
  if (result.exit_code !== 0) return;
  $("#keys tbody").replaceChildren(...JSON.parse(result.output).map((k) => {
    const tr = document.createElement("tr");
    for (const text of [k.id.slice(0, 8) + (k.current ? " (this one)" : ""), new Date(k.created).toLocaleString(), k.host, k.username]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement("td");
    if (!k.current) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove…";
      remove.addEventListener("click", () => propose(["key", "remove", k.id], () => { refreshKeys(); return `key ${k.id.slice(0, 8)} removed`; }));
      td.append(remove);
    }
    tr.append(td);
    return tr;
  }));
}

// Browsing a snapshot: one directory at a time, loaded when opened.
let browsing = null;
async function browse(id, path) {
  browsing = { id, path };
  $("#browse").hidden = false;
  $("#browse-snapshot").textContent = id.slice(0, 8);
  $("#restore-path").value = `${id.slice(0, 8)}:${path}`;
  const parts = path.split("/").filter(Boolean);
  const crumbs = [["/", "/"], ...parts.map((p, i) => [p, "/" + parts.slice(0, i + 1).join("/")])];
  $("#breadcrumb").replaceChildren(...crumbs.map(([label, target]) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", () => browse(id, target));
    return b;
  }));
  const result = await post("/api/query", ["ls", "--no-recursive", id, path]);
  if (result.exit_code !== 0) { setStatus(errorLine(result), true); return; }
  const entries = JSON.parse(result.output).filter((e) => e.path !== path);
  $("#entries tbody").replaceChildren(...entries.map((e) => {
    const tr = document.createElement("tr");
    const name = e.path.split("/").pop();
    const cells = [name, e.type, (e.mode & 0o7777).toString(8).padStart(4, "0"), `${e.user ?? e.uid}:${e.group ?? e.gid}`,
      e.type === "file" ? humanBytes(e.size) : "", new Date(e.mtime).toLocaleString()];
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    const actions = document.createElement("td");
    if (e.type === "directory") {
      const open = document.createElement("button");
      open.type = "button";
      open.textContent = "Open";
      open.addEventListener("click", () => browse(id, e.path));
      actions.append(open);
    }
    for (const format of ["pax", "zip"]) {
      const link = document.createElement("a");
      link.className = "download";
      link.href = `/api/download?repository=${encodeURIComponent(repository)}&target=${encodeURIComponent(`${id}:${e.path}`)}&format=${format}`;
      link.textContent = format === "zip" ? ".zip" : ".tar";
      link.title = `download as ${format === "zip" ? "zip" : "tar"} (cairn export)`;
      actions.append(link);
    }
    const pick = document.createElement("button");
    pick.type = "button";
    pick.textContent = "Select";
    pick.className = "select";
    pick.addEventListener("click", () => { $("#restore-path").value = `${id.slice(0, 8)}:${e.path}`; $("#restore-target").focus(); });
    actions.append(pick);
    tr.append(actions);
    return tr;
  }));
  $("#browse").scrollIntoView({ block: "nearest" });
}

$("#restore-form").addEventListener("submit", (event) => {
  event.preventDefault();
  propose(["restore", $("#restore-path").value, "--target", $("#restore-target").value.trim()],
    (r) => `restored ${r.files} entries, ${humanBytes(r.bytes)} to ${$("#restore-target").value.trim()}`);
});

// Forget: the plan first, from forget --dry-run, then the same command without it.
function forgetArguments() {
  const args = ["forget"];
  for (const rule of ["last", "daily", "weekly", "monthly"]) {
    const value = $(`#keep-${rule}`).value.trim();
    if (value !== "") args.push(`--keep-${rule}`, value);
  }
  return args;
}

$("#forget-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const args = forgetArguments();
  if (args.length === 1) { setStatus("give at least one keep rule", true); return; }
  const result = await post("/api/query", [...args, "--dry-run"]);
  if (result.exit_code !== 0) { setStatus(errorLine(result), true); return; }
  const plan = JSON.parse(result.output);
  const rows = plan.groups.flatMap((g) => g.decisions.map((d) => ({ group: g.group, ...d })));
  $("#forget-plan tbody").replaceChildren(...rows.map((d) => {
    const tr = document.createElement("tr");
    tr.className = d.keep ? "keep" : "remove";
    for (const text of [d.snapshot.id.slice(0, 8), new Date(d.snapshot.time).toLocaleString(), d.group, d.keep ? "keep" : "remove", d.reasons.join(", ")]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  $("#forget-plan").hidden = false;
  $("#forget-button").hidden = !rows.some((d) => !d.keep);
  setStatus(`${rows.filter((d) => !d.keep).length} of ${rows.length} snapshots would be removed`, false);
});
$("#forget-button").addEventListener("click", () =>
  propose(forgetArguments(), (r) => `removed ${r.removed.length} snapshots`));

$("#check-button").addEventListener("click", () =>
  propose(["check"], (r) => r.errors.length ? `check found ${r.errors.length} errors` : `check: ${r.snapshots} snapshots, ${r.blobs} blobs, no errors`));

async function refreshJobs() {
  const result = await post("/api/query", ["jobs"]);
  if (result.exit_code !== 0) return;
  const jobs = JSON.parse(result.output);
  $("#jobs tbody").replaceChildren(...jobs.map((j) => {
    const tr = document.createElement("tr");
    const last = j.last_run;
    for (const text of [j.job, j.repository, j.schedule ?? "", last ? new Date(last.started).toLocaleString() : "never", last ? last.status : ""]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement("td");
    const run = document.createElement("button");
    run.type = "button";
    run.textContent = "Run now…";
    run.addEventListener("click", () => propose(["run", j.job], (r) => { refreshJobs(); return `job ${r.job}: ${r.status}${r.message ? ": " + r.message : ""}`; }));
    const edit = document.createElement("button");
    edit.type = "button";
    edit.textContent = "Edit";
    edit.addEventListener("click", () => editJob(j));
    td.append(run, edit);
    tr.append(td);
    return tr;
  }));
}

function editJob(job) {
  $("#job-form-mode").textContent = job ? `(editing ${job.job})` : "(new)";
  $("#job-name").value = job?.job ?? "";
  $("#job-name").readOnly = !!job;
  $("#job-repository").value = job?.repository ?? "";
  $("#job-paths").value = (job?.paths ?? []).join("\n");
  $("#job-schedule").value = job?.schedule ?? "";
  for (const [field, key] of [["exclude", "excludes"], ["before", "before"], ["after", "after"], ["on-failure", "on_failure"]])
    $(`#job-${field}`).value = (job?.[key] ?? []).join("\n");
  for (const rule of ["daily", "weekly", "monthly"]) $(`#job-keep-${rule}`).value = job?.keep?.[`keep-${rule}`] ?? "";
  $("#job-remove").hidden = !job;
  $("#job-name").focus();
}

$("#job-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = $("#job-name").value.trim();
  const args = ["job", "set", name, "--repository", $("#job-repository").value.trim()];
  for (const path of $("#job-paths").value.split("\n").map((p) => p.trim()).filter(Boolean)) args.push("--path", path);
  for (const field of ["exclude", "before", "after", "on-failure"])
    for (const line of $(`#job-${field}`).value.split("\n").map((l) => l.trim()).filter(Boolean)) args.push(`--${field}`, line);
  if ($("#job-schedule").value.trim()) args.push("--schedule", $("#job-schedule").value.trim());
  for (const rule of ["daily", "weekly", "monthly"]) {
    const value = $(`#job-keep-${rule}`).value.trim();
    if (value !== "") args.push(`--keep-${rule}`, value);
  }
  propose(args, () => { refreshJobs(); editJob(null); return `job ${name} saved`; });
});
$("#job-remove").addEventListener("click", () => {
  const name = $("#job-name").value.trim();
  propose(["job", "remove", name], () => { refreshJobs(); editJob(null); return `job ${name} removed`; });
});

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
  const { args, describe } = pending;
  pending = null;
  $("#command-pending").hidden = true;
  setStatus("running…", false);
  let started;
  try {
    started = await post("/api/run", args);
  } catch (e) {
    setStatus(e.message, true);
    return;
  }
  const stop = $("#stop");
  stop.hidden = false;
  stop.onclick = () => fetch(`/api/tasks/${started.task}/cancel`, { method: "POST" });
  const follow = new EventSource(`/api/tasks/${started.task}`);
  follow.addEventListener("progress", (e) => setStatus(e.data || "running…", false));
  follow.addEventListener("done", (e) => {
    follow.close();
    stop.hidden = true;
    const result = JSON.parse(e.data);
    logCommand(result.command, result.exit_code);
    if (result.exit_code === 0 || result.exit_code === 3) {
      let parsed = null;
      try { parsed = JSON.parse(result.output); } catch { parsed = null; }
      setStatus(parsed === null ? "done" : describe(parsed), result.exit_code !== 0);
    }
    else if (result.exit_code === 130) setStatus("stopped: nothing half-done was kept", true);
    else setStatus(errorLine(result), true);
  });
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
