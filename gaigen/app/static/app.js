/* gaigen app: the little script of the form. Every check runs on the server (the library's own
   rules); this script only sends what was typed, shows the answers, moves the cursor, pastes rows
   and adds up the 总计 cells while typing. No framework, nothing loaded from elsewhere. */
(function () {
  "use strict";

  var token = document.querySelector('meta[name="gaigen-token"]').content;

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Gaigen-Token": token },
      body: JSON.stringify(body),
      credentials: "same-origin",
      keepalive: !!keepalive
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || ("出错了（" + response.status + "）")); }
        return data;
      });
    });
  }

  function $(id) { return document.getElementById(id); }

  // --- the form ------------------------------------------------------------------------------

  function formPage() {
    var file = document.body.dataset.file;
    var fields = Array.prototype.slice.call(document.querySelectorAll(".fld"));
    var cells = fields.filter(function (f) { return f.classList.contains("cell"); });
    var lines = fields.filter(function (f) { return f.tagName !== "TEXTAREA"; });
    var sums = JSON.parse($("sums").dataset.json);
    var timer = null, dirtyDraft = false, sent = 0, shown = 0;

    function values() {
      var out = {};
      fields.forEach(function (f) { out[f.id] = f.value; });
      return out;
    }

    // Totals while typing: a 总计 left empty shows the sum of what it adds (from the server's layout).
    function number(id, seen) {
      var input = $(id), text = input.value.trim();
      if (/^[-+]?\d+(\.\d+)?$/.test(text)) { return Number(text); }
      if (text === "" && sums[id] && !seen[id]) {
        seen[id] = true;
        var total = 0;
        for (var i = 0; i < sums[id].length; i++) {
          var part = number(sums[id][i], seen);
          if (isNaN(part)) { return NaN; }
          total += part;
        }
        return Math.round(total * 1e6) / 1e6;
      }
      return NaN;
    }

    function totals() {
      Object.keys(sums).forEach(function (id) {
        var input = $(id);
        if (input.value.trim() !== "") { input.placeholder = ""; return; }
        var value = number(id, {});
        input.placeholder = isNaN(value) ? "" : String(value);
      });
    }

    function show(result) {
      document.querySelectorAll(".has-error, .has-warning").forEach(function (el) {
        el.classList.remove("has-error", "has-warning");
      });
      document.querySelectorAll(".notes").forEach(function (el) { el.textContent = ""; });
      document.querySelectorAll(".badge").forEach(function (el) { el.hidden = true; el.textContent = ""; });
      var list = $("problems");
      list.textContent = "";
      result.problems.forEach(function (p) {
        var item = document.createElement("li");
        item.className = p.severity;
        var link = document.createElement("a");
        link.href = p.field ? "#" + p.field : "#";
        link.dataset.field = p.field || "";
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = p.kind;
        link.appendChild(kind);
        link.appendChild(document.createTextNode(" " + p.text));
        item.appendChild(link);
        list.appendChild(item);
        if (!p.field) { return; }
        var holder = document.querySelector('[data-for="' + p.field + '"]');
        if (holder) { holder.classList.add(p.severity === "error" ? "has-error" : "has-warning"); }
        var note = document.createElement("p");
        note.className = "note " + p.severity;
        note.dataset.rule = p.rule;
        note.textContent = p.kind + "：" + p.text;
        $("notes-" + p.field).appendChild(note);
        var badge = holder && holder.querySelector(".badge");
        if (badge) {
          badge.hidden = false;
          badge.textContent = badge.textContent ? badge.textContent + " " + p.rule : p.rule;
        }
      });
      var status = $("status");
      status.className = "status " + (result.errors ? "bad" : result.warnings ? "warn" : "good");
      status.textContent = result.errors
        ? result.errors + " 个错误，" + result.warnings + " 个提示：改正错误后才能生成报告。"
        : result.warnings ? "没有错误，" + result.warnings + " 个提示，可以生成报告。" : "检查通过，可以生成报告。";
      var previous = $("previous");
      previous.hidden = !result.previous;
      previous.textContent = result.previous ? "同时与上年的数据文件“" + result.previous + "”核对跨年度关系（如上年结转）。" : "";
      document.body.classList.toggle("blocked", result.errors > 0);
      $("blocked").hidden = result.errors === 0;
      document.body.dataset.checked = String(shown);
    }

    function check() {
      var ticket = ++sent;
      return post("/api/check", { file: file, values: values() }).then(function (result) {
        if (ticket >= shown) { shown = ticket; show(result); }
      }).catch(function (error) { $("status").textContent = error.message; });
    }

    function draft(keepalive) {
      if (!dirtyDraft) { return Promise.resolve(); }
      dirtyDraft = false;
      return post("/api/draft", { file: file, values: values() }, keepalive).then(function (result) {
        $("autosave").textContent = "草稿已自动保存 " + result.time.slice(11);
      }).catch(function (error) { dirtyDraft = true; $("autosave").textContent = error.message; });
    }

    function changed() {
      dirtyDraft = true;
      totals();
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    }

    fields.forEach(function (f) {
      f.addEventListener("input", changed);
      f.addEventListener("change", changed);
      f.addEventListener("blur", function () { draft(false); });
    });

    // Enter moves on like Tab (Shift+Enter back), in reading order; text areas keep Enter for new lines.
    lines.forEach(function (f, i) {
      f.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.isComposing) { return; }
        event.preventDefault();
        var next = lines[i + (event.shiftKey ? -1 : 1)];
        if (next) { next.focus(); if (next.select) { next.select(); } }
      });
    });

    // A row copied from Excel or WPS (tab-separated, maybe several lines) fills cells from here on.
    cells.forEach(function (cell) {
      cell.addEventListener("paste", function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text");
        if (!/[\t\n]/.test(text.replace(/[\r\n]+$/, ""))) { return; }
        event.preventDefault();
        var table = cell.closest("table");
        var rows = Array.prototype.slice.call(table.querySelectorAll("tr")).map(function (tr) {
          return Array.prototype.slice.call(tr.querySelectorAll("input.cell"));
        }).filter(function (row) { return row.length; });
        var r = rows.findIndex(function (row) { return row.indexOf(cell) >= 0; });
        var c = rows[r].indexOf(cell);
        text.replace(/\r/g, "").replace(/\n+$/, "").split("\n").forEach(function (line, i) {
          var row = rows[r + i];
          if (!row) { return; }
          line.split("\t").forEach(function (value, j) {
            if (row[c + j]) { row[c + j].value = value.trim().replace(/[,，\s]/g, ""); }
          });
        });
        changed();
      });
    });

    $("problems").addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (!link || !link.dataset.field) { event.preventDefault(); return; }
      event.preventDefault();
      var target = $(link.dataset.field);
      target.scrollIntoView({ block: "center" });
      target.focus();
    });

    $("save").addEventListener("click", function () {
      $("autosave").textContent = "正在保存……";
      post("/api/save", { file: file, values: values() }).then(function (result) {
        dirtyDraft = false;
        show(result);
        var restored = $("restored");
        if (restored) { restored.remove(); }
        $("autosave").textContent = "已保存到 " + result.saved + (result.errors ? "（仍有错误，报告尚不能生成）" : "");
      }).catch(function (error) { $("autosave").textContent = "没有保存：" + error.message; });
    });

    // Preview and downloads: send what is typed first, so the report shows the form as it is now.
    document.querySelectorAll("a.out").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (document.body.classList.contains("blocked")) { $("blocked").hidden = false; return; }
        dirtyDraft = true;
        var opening = link.target === "_blank" ? window.open("", "_blank") : null;
        draft(false).then(function () {
          if (opening) { opening.location = link.href; } else { window.location = link.href; }
        });
      });
    });

    setInterval(function () { draft(false); }, 3000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { draft(true); }
    });
    window.addEventListener("pagehide", function () { draft(true); });

    totals();
    show(JSON.parse($("initial").dataset.json));
  }

  // --- the start and folder pages ------------------------------------------------------------

  function startPage() {
    var form = $("new-report");
    $("new-upload").addEventListener("change", function () {
      var file = $("new-upload").files[0];
      $("upload-name").textContent = file ? "已选择：" + file.name : "";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = $("new-message");
      var body = {
        year: $("new-year").value, agency: $("new-agency").value, level: $("new-level").value,
        format: $("new-format").value, previous: $("new-previous").value
      };
      var file = $("new-upload").files[0];
      message.textContent = "正在生成……";
      var ready = Promise.resolve();
      if (file) {
        ready = fetch("/api/upload?name=" + encodeURIComponent(file.name), {
          method: "POST", body: file, credentials: "same-origin",
          headers: { "Content-Type": "application/octet-stream", "X-Gaigen-Token": token }
        }).then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) { throw new Error(data.error); }
            body.upload = data.id;
            body.upload_name = file.name;
          });
        });
      }
      ready.then(function () { return post("/api/new", body); })
        .then(function (result) { window.location = result.url; })
        .catch(function (error) { message.textContent = error.message; });
    });
  }

  function folderPage() {
    $("render-all").addEventListener("click", function () {
      var out = $("batch-result");
      out.textContent = "正在生成……";
      post("/api/batch", {}).then(function (result) {
        out.textContent = result.summary + " 报告在“" + result.folder + "”子文件夹中。";
        result.attention.forEach(function (line) {
          var p = document.createElement("p");
          p.textContent = line;
          out.appendChild(p);
        });
      }).catch(function (error) { out.textContent = error.message; });
    });
    $("aggregate-form").addEventListener("submit", function (event) {
      event.preventDefault();
      post("/api/aggregate", { agency: $("agg-agency").value, level: $("agg-level").value })
        .then(function (result) { window.location = result.url; })
        .catch(function (error) { $("agg-message").textContent = error.message; });
    });
  }

  var pages = { form: formPage, start: startPage, folder: folderPage };
  if (pages[document.body.dataset.page]) { pages[document.body.dataset.page](); }
})();
