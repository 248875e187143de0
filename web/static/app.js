// zhifa: small progressive enhancements; every page works without this file.
"use strict";

// A form kept when the session expired (see internal/server/expired_form.go)
// goes back into the form it came from: the one posting to the same action
// whose hidden routing fields (the action to take, ...) match.
function restoreKeptForm() {
  const data = document.getElementById("restore-form");
  if (!data) return;
  let kept;
  try { kept = JSON.parse(data.textContent); } catch (e) { return; }
  const sameAction = Array.from(document.forms).filter(f => new URL(f.action, location.href).pathname === kept.action);
  const hiddenMatch = f => kept.fields.every(([name, value]) => {
    const box = f.elements.namedItem(name);
    return !(box instanceof HTMLInputElement && box.type === "hidden") || name === "csrf_token" || name === "idempotency_key" || box.value === value;
  });
  const form = sameAction.find(hiddenMatch) || sameAction[0];
  if (!form) return;
  const byName = new Map();
  for (const [name, value] of kept.fields) {
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(value);
  }
  for (const el of form.elements) {
    if (!el.name || !byName.has(el.name) || el.name === "csrf_token") continue;
    const values = byName.get(el.name);
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = values.includes(el.value);
    } else if (el.type === "file") {
      continue;
    } else if (el instanceof HTMLSelectElement && el.multiple) {
      for (const o of el.options) o.selected = values.includes(o.value);
    } else if (el.type !== "hidden" || el.name === "idempotency_key") {
      el.value = values.shift();
      if (values.length === 0) byName.delete(el.name);
    }
  }
  for (let d = form.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  form.classList.add("restored");
  form.scrollIntoView({ block: "start" });
  const bar = document.getElementById("restore-bar");
  if (bar) bar.classList.add("filled");
}

// The idle timeout warns before it logs out: two minutes before (or at a
// third of a short timeout) a bar offers 继续工作, which renews the session.
function idleWarning() {
  const secs = Number(document.body.dataset.idleSeconds || 0);
  const box = document.getElementById("idle-warning");
  if (!secs || !box) return;
  const text = document.getElementById("idle-warning-text");
  const lead = Math.min(120, Math.floor(secs / 3));
  let last = Date.now(), timer = 0;
  const schedule = () => {
    clearInterval(timer);
    box.hidden = true;
    last = Date.now();
    timer = setInterval(tick, 1000);
  };
  const tick = () => {
    const left = Math.round(secs - (Date.now() - last) / 1000);
    if (left > lead) return;
    box.hidden = false;
    if (left > 0) {
      text.textContent = "您已较长时间未操作，将在 " + left + " 秒后自动退出登录。正在填写的内容请先保存，或点击“继续工作”。";
    } else {
      clearInterval(timer);
      text.textContent = "登录已超时。现在提交表单时会要求重新登录，已填写的内容会保留并在登录后恢复。";
      document.getElementById("idle-keep").hidden = true;
    }
  };
  document.getElementById("idle-keep").addEventListener("click", () => {
    fetch("/session/keepalive", { method: "GET", credentials: "same-origin", cache: "no-store" })
      .then(r => { if (r.ok) schedule(); else location.reload(); })
      .catch(() => { text.textContent = "网络连接中断，请检查网络后再试。"; });
  });
  schedule();
}

document.addEventListener("DOMContentLoaded", () => {
  restoreKeptForm();
  idleWarning();
});
