// zhifa: the evidence upload's progress (web/evidence.templ). The form is
// sent with XMLHttpRequest so the bytes sent can be shown ("已上传 N%");
// a phone's videos take minutes on a town's line. The server answers a
// good upload with 204 and the page to go to (X-Location), where the
// flash message waits; a refused one with the case page and its message
// (422), whose evidence section replaces this one. The page works without
// this file: the form then posts as usual.
"use strict";

(function () {
  function bind(section) {
    const form = section && section.querySelector("form.evidence-form");
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    const box = form.querySelector(".upload-progress");
    const bar = box.querySelector("progress");
    const label = box.querySelector(".upload-percent");
    const button = form.querySelector("button[type=submit]");
    let sending = false;

    function show(percent, text) {
      box.hidden = false;
      box.classList.remove("failed");
      bar.value = percent;
      label.textContent = text;
    }
    function fail(text) {
      sending = false;
      button.disabled = false;
      box.hidden = false;
      box.classList.add("failed");
      label.textContent = text;
    }

    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (sending) return;
      sending = true;
      button.disabled = true;
      show(0, "已上传 0%");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Zhifa-Upload", "xhr");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable || e.total === 0) return;
        const p = Math.min(100, Math.floor((e.loaded * 100) / e.total));
        show(p, "已上传 " + p + "%");
      });
      xhr.upload.addEventListener("load", () => show(100, "已上传 100%，正在保存……"));
      xhr.addEventListener("load", () => {
        const to = xhr.getResponseHeader("X-Location");
        if (xhr.status === 204 && to) {
          location.assign(to);
          return;
        }
        // A refusal: the case page with the message and the entries kept.
        const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        const fresh = page.getElementById("evidence");
        if (fresh && fresh.querySelector("form.evidence-form")) {
          const adopted = document.importNode(fresh, true);
          section.replaceWith(adopted);
          bind(adopted);
          const message = adopted.querySelector(".form-error, .error");
          if (message) message.scrollIntoView({ block: "center" });
          return;
        }
        // Another answer (the session ended, an error page): show it.
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", () => fail("网络中断，上传未完成，请检查网络后重新上传。"));
      xhr.addEventListener("abort", () => fail("上传已取消。"));
      xhr.send(new FormData(form));
    });
  }
  bind(document.getElementById("evidence"));
})();
