// scratchkit sandbox: the little script behind the pages. Every action is a call to the same
// route a bot uses, with the session cookie and the CSRF double-submit token.
"use strict";

function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return "";
}

// The scratchcsrftoken cookie, fetched from /site/csrf_token when missing (as clients do).
async function csrf() {
  let token = cookie("scratchcsrftoken");
  if (!token) {
    await fetch("/site/csrf_token", { credentials: "same-origin" });
    token = cookie("scratchcsrftoken");
  }
  return token;
}

// method + url + JSON body (or a URLSearchParams form), with the CSRF header.
async function call(method, url, body) {
  const headers = { "X-CSRFToken": await csrf(), "X-Requested-With": "XMLHttpRequest" };
  let payload;
  if (body instanceof URLSearchParams) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body.set("csrfmiddlewaretoken", headers["X-CSRFToken"]);
    payload = body.toString();
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  return fetch(url, { method, headers, body: payload, credentials: "same-origin" });
}

function showError(form, text) {
  const slot = form.querySelector(".form-error");
  if (slot) slot.textContent = text;
}

async function readJson(response) {
  try { return await response.json(); } catch (e) { return null; }
}

const rejections = {
  isFlood: "Slow down: you are commenting too fast (flood control).",
  isMuted: "You are muted.",
  isDisallowed: "Comments are turned off here.",
  isEmpty: "Write something first.",
  isTooLong: "That comment is too long.",
};

function wireLogin() {
  const form = document.getElementById("login-form");
  if (!form) return;
  for (const b of document.querySelectorAll(".demo-login")) {
    b.addEventListener("click", () => {
      form.username.value = b.dataset.username;
      form.password.focus();
    });
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(form, "");
    const r = await call("POST", "/site/login", { username: form.username.value, password: form.password.value });
    const body = await readJson(r);
    const item = Array.isArray(body) ? body[0] : null;
    if (r.ok && item && item.success === 1) {
      location.href = form.dataset.next || "/";
    } else {
      showError(form, (item && item.msg) || `Login failed (HTTP ${r.status}).`);
    }
  });
}

// The class sign-up page: the form goes to the route a bot uses to register a student.
function wireSignup() {
  const form = document.getElementById("signup-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(form, "");
    const fields = new URLSearchParams(new FormData(form));
    fields.set("classroom_id", form.dataset.classroomId);
    fields.set("classroom_token", form.dataset.classroomToken);
    fields.set("is_robot", "false");
    const r = await call("POST", "/site/classes/register_new_student/", fields);
    const body = await readJson(r);
    const item = Array.isArray(body) ? body[0] : null;
    if (r.ok && item && item.success === true) {
      const done = document.getElementById("signup-done");
      done.textContent = `Account ${item.username} created: log in with it.`;
      const link = document.createElement("a");
      link.href = "/web/login";
      link.id = "signup-login";
      link.textContent = " Log in";
      done.append(link);
      done.hidden = false;
      form.hidden = true;
    } else {
      showError(form, (item && item.msg) || `Sign-up failed (HTTP ${r.status}).`);
    }
  });
}

function wireLogout() {
  const b = document.getElementById("logout");
  if (!b) return;
  b.addEventListener("click", async () => {
    await call("POST", "/site/accounts/logout");
    location.href = "/";
  });
}

function wireComments() {
  for (const form of document.querySelectorAll("form.comment-form")) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      showError(form, "");
      const body = { content: form.content.value };
      if (form.parent_id) body.parent_id = Number(form.parent_id.value);
      if (form.commentee_id) body.commentee_id = Number(form.commentee_id.value);
      const r = await call("POST", form.dataset.url, body);
      if (!r.ok) return showError(form, `Refused (HTTP ${r.status}).`);
      if (form.dataset.answers === "json") {
        const answer = await readJson(r);
        if (answer && answer.rejected) return showError(form, rejections[answer.rejected] || answer.rejected);
      } else {
        const text = await r.text();
        const m = text.match(/"error":\s*"(\w+)"/);
        if (m) return showError(form, rejections[m[1]] || m[1]);
      }
      location.reload();
    });
  }
}

function wireMarks() {
  for (const b of document.querySelectorAll("button.mark")) {
    b.addEventListener("click", async () => {
      const on = b.dataset.on === "true";
      const r = await call(on ? "DELETE" : "POST", b.dataset.url);
      const answer = await readJson(r);
      if (!r.ok || !answer) return;
      const now = answer.userLove ?? answer.userFavorite;
      const count = b.querySelector(".count");
      if (answer.statusChanged) count.textContent = String(Number(count.textContent) + (now ? 1 : -1));
      b.dataset.on = String(now);
      b.classList.toggle("on", now);
    });
  }
}

function wireButtons() {
  // Follow, mark messages read, share, unshare: one call, then the page again.
  for (const b of document.querySelectorAll("button.act")) {
    b.addEventListener("click", async () => {
      const r = await call(b.dataset.method, b.dataset.url);
      if (r.ok) location.reload();
      else b.title = `Refused (HTTP ${r.status})`;
    });
  }
  const reply = document.getElementById("forum-reply");
  if (reply) reply.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await call("POST", reply.dataset.url, new URLSearchParams({ body: reply.body.value }));
    if (r.status === 429) return showError(reply, "Slow down: wait before posting again (flood control).");
    if (!r.ok) return showError(reply, `Refused (HTTP ${r.status}).`);
    location.reload();
  });
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function wireCloud() {
  const box = document.querySelector(".cloud-monitor");
  if (!box) return;
  const status = document.getElementById("cloud-status");
  const vars = document.getElementById("cloud-vars");
  const log = document.getElementById("cloud-log");
  let before = new Map();
  const connect = () => {
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${box.dataset.live}`);
    ws.onopen = () => { status.textContent = "live"; status.className = "status live"; };
    ws.onclose = () => { status.textContent = "disconnected, retrying…"; status.className = "status down"; setTimeout(connect, 1000); };
    ws.onmessage = (ev) => {
      const snap = JSON.parse(ev.data);
      vars.replaceChildren();
      const seen = new Map();
      for (const [name, value] of snap.variables) {
        const tr = document.createElement("tr");
        cell(tr, name);
        cell(tr, value).className = "value";
        if (before.size && before.get(name) !== value) tr.className = "flash";
        seen.set(name, value);
        vars.appendChild(tr);
      }
      before = seen;
      log.replaceChildren();
      for (const e of snap.log) {
        const tr = document.createElement("tr");
        cell(tr, new Date(e.timestamp).toISOString().replace(".000Z", "Z"));
        const who = cell(tr, "");
        const a = document.createElement("a");
        a.href = `/web/users/${encodeURIComponent(e.user)}`;
        a.textContent = e.user;
        who.appendChild(a);
        cell(tr, e.verb);
        cell(tr, e.name);
        cell(tr, e.value).className = "value";
        log.appendChild(tr);
      }
    };
  };
  connect();
}

// ---- the panel (/_sandbox): plain JSON calls to the administration routes ----

async function admin(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await readJson(r);
  if (!r.ok) throw new Error((answer && (answer.message || answer.code)) || `HTTP ${r.status}`);
  return answer;
}

function wirePanel() {
  const faults = document.getElementById("faults-form");
  if (!faults) return;
  const now = document.getElementById("faults-now");
  const showFaults = (a) => {
    now.textContent = a.faults === null ? "off" : typeof a.faults === "string" ? a.faults : JSON.stringify(a.faults);
  };
  faults.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(faults, "");
    try { showFaults(await admin("POST", "/_sandbox/faults", { spec: faults.spec.value })); }
    catch (e) { showError(faults, e.message); }
  });
  document.getElementById("faults-off").addEventListener("click", async () => {
    showFaults(await admin("DELETE", "/_sandbox/faults"));
  });

  const settings = document.getElementById("settings-form");
  const fields = document.getElementById("settings-fields");
  admin("GET", "/_sandbox/settings").then((current) => {
    fields.replaceChildren();
    for (const [key, value] of Object.entries(current)) {
      const label = document.createElement("label");
      label.textContent = key.replaceAll("_", " ") + " ";
      let input;
      if (key === "csrf") {
        input = document.createElement("select");
        for (const mode of ["strict", "lenient"]) input.add(new Option(mode, mode, false, mode === value));
      } else {
        input = document.createElement("input");
        input.type = "number";
        input.value = value;
      }
      input.name = key;
      label.appendChild(input);
      fields.appendChild(label);
    }
  });
  settings.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(settings, "");
    const body = {};
    for (const input of settings.querySelectorAll("[name]")) body[input.name] = input.type === "number" ? Number(input.value) : input.value;
    try { await admin("POST", "/_sandbox/settings", body); showError(settings, "saved"); }
    catch (e) { showError(settings, e.message); }
  });

  const users = document.getElementById("user-form");
  users.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(users, "");
    try {
      const u = await admin("POST", "/_sandbox/users", { username: users.username.value, password: users.password.value, role: users.role.value });
      showError(users, `created ${u.username}`);
    } catch (e) { showError(users, e.message); }
  });

  document.getElementById("reset").addEventListener("click", async () => {
    if (!confirm("Reset the sandbox to its seeded world?")) return;
    await admin("POST", "/_sandbox/reset");
    document.getElementById("reset-done").textContent = "done";
  });

  const rows = document.getElementById("log-rows");
  const host = document.getElementById("log-host");
  const path = document.getElementById("log-path");
  let after = 0;
  const restart = () => { after = 0; rows.replaceChildren(); };
  host.addEventListener("input", restart);
  path.addEventListener("input", restart);
  document.getElementById("log-clear").addEventListener("click", async () => {
    rows.replaceChildren();
  });
  const poll = async () => {
    try {
      const q = new URLSearchParams({ after, host: host.value, path: path.value });
      const page = await admin("GET", `/_sandbox/requests?${q}`);
      for (const e of page.requests) {
        const tr = document.createElement("tr");
        tr.className = "flash";
        cell(tr, e.seq);
        cell(tr, new Date(e.at_ms).toISOString().slice(11, 23));
        cell(tr, e.method);
        cell(tr, e.host);
        const query = new URLSearchParams(e.query).toString();
        cell(tr, query ? `${e.path}?${query}` : e.path);
        cell(tr, e.status);
        cell(tr, e.millis);
        rows.prepend(tr);
      }
      while (rows.children.length > 300) rows.lastChild.remove();
      after = page.last;
    } finally {
      setTimeout(poll, 500);
    }
  };
  poll();
}

document.addEventListener("DOMContentLoaded", () => {
  wireLogin();
  wireSignup();
  wireLogout();
  wireComments();
  wireMarks();
  wireButtons();
  wireCloud();
  wirePanel();
});
