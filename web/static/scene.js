// zhifa: the scene records on a phone (web/scene.templ). Whatever is typed
// into a step's boxes is kept in the phone (localStorage) until the step is
// saved on the server, so reloading the page or losing the connection
// before saving does not lose it. The page works without this file.
"use strict";

(function () {
  const scene = document.querySelector(".scene[data-saved]");
  const form = scene && scene.querySelector("form.scene-form[data-step]");
  if (!form || !window.localStorage) return;
  // The draft as saved on the server: a kept entry made on another
  // version of it was saved since (or replaced by someone), so it goes.
  const stamp = scene.dataset.saved;
  const prefix = "zhifa-scene:" + location.pathname + ":";
  // Entries of the other steps of this record made on an older version
  // were saved since: they go too.
  const record = "zhifa-scene:" + location.pathname.replace(/\/steps(\/.*)?$/, "/steps");
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (!key || !key.startsWith(record) || key.startsWith(prefix)) continue;
    try { if (JSON.parse(localStorage.getItem(key)).stamp !== stamp) localStorage.removeItem(key); } catch (e) { localStorage.removeItem(key); }
  }
  let restored = 0;
  for (const box of form.querySelectorAll("[data-keep]")) {
    const key = prefix + box.name;
    let kept = null;
    try { kept = JSON.parse(localStorage.getItem(key)); } catch (e) { kept = null; }
    if (kept && kept.stamp !== stamp) {
      localStorage.removeItem(key);
    } else if (kept && typeof kept.value === "string" && kept.value !== box.value) {
      box.value = kept.value;
      restored++;
    }
    box.addEventListener("input", () => {
      try { localStorage.setItem(key, JSON.stringify({ stamp: stamp, value: box.value })); } catch (e) { /* full: nothing kept */ }
    });
  }
  if (restored > 0) {
    const note = document.createElement("p");
    note.className = "scene-kept";
    note.setAttribute("role", "status");
    note.textContent = "已恢复本页上次输入但尚未保存的内容，请核对后保存。";
    form.insertBefore(note, form.firstChild);
  }
})();
