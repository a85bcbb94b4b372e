(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("qim-config").textContent);
  var form = document.getElementById("qim-form");
  var pages = Array.prototype.slice.call(form.querySelectorAll("section.page"));
  var fields = config.fields;
  var byKey = {};
  fields.forEach(function (f) { byKey[f.key] = f; });
  var idPattern = new RegExp(config.idPattern);
  var current = 0;
  var statusBox = document.getElementById("status");
  var errorsBox = document.getElementById("errors");
  var errorsList = document.getElementById("errors-list");
  var backButton = document.getElementById("back");
  var nextButton = document.getElementById("next");
  var scaleCount = fields.filter(function (f) { return f.kind === "scale"; }).length;

  var storage = null;
  try {
    window.localStorage.setItem(config.storageKey + ":probe", "1");
    window.localStorage.removeItem(config.storageKey + ":probe");
    storage = window.localStorage;
  } catch (e) {
    storage = null;
  }

  function isRadio(f) { return f.kind === "scale" || f.kind === "option"; }
  function domId(key) { return "f-" + key.replace(/\./g, "-"); }
  function input(f) { return document.getElementById(domId(f.key) + "-input"); }
  function radios(f) { return Array.prototype.slice.call(form.querySelectorAll('input[type="radio"][name="' + f.key + '"]')); }

  function value(f) {
    if (isRadio(f)) {
      var checked = radios(f).filter(function (r) { return r.checked; })[0];
      return checked ? checked.value : "";
    }
    return input(f).value;
  }

  function setValue(f, v) {
    if (isRadio(f)) {
      radios(f).forEach(function (r) { r.checked = r.value === v; });
    } else {
      input(f).value = v;
    }
  }

  function label(f) {
    if (f.kind === "option") { return f.label; }  // the legend alone does not name the scenario
    var box = document.getElementById(domId(f.key));
    var node = f.kind === "scale" ? box.querySelector("legend") : box.querySelector("label");
    return node ? node.textContent.trim() : f.key;
  }

  function pageOf(f) {
    var box = document.getElementById(domId(f.key));
    return pages.indexOf(box.closest("section.page"));
  }

  // ---- a scenario's two picks: both or neither, two different letters (as qim import) ----
  function pickOf(f) { return f.key.slice(f.key.lastIndexOf(".") + 1); }
  function partner(f) {
    var base = f.key.slice(0, f.key.lastIndexOf("."));
    return byKey[base + (pickOf(f) === "best" ? ".worst" : ".best")];
  }
  function pair(f) { return pickOf(f) === "best" ? [f, partner(f)] : [partner(f), f]; }

  function pickProblem(f, v) {
    var other = value(partner(f));
    if (v === "") {
      if (other === "") { return ""; }
      return pickOf(f) === "best"
        ? "Choose the response you would most likely give as well, or clear this scenario."
        : "Choose the response you would least likely give as well, or clear this scenario.";
    }
    if (f.codes.indexOf(v) < 0) { return "Choose one of the responses offered."; }
    if (pickOf(f) === "worst" && v === other) {
      return "Choose a response other than your most likely one (both are " + v + ").";
    }
    return "";
  }

  // ---- the checks qim validate makes, one message per field ----
  function problem(f, raw) {
    var v = f.kind === "notes" ? raw : raw.trim();
    if (f.kind === "option") { return pickProblem(f, v); }
    if (v === "") {
      if (!f.required) { return ""; }
      return f.kind === "scale" || f.kind === "choice" ? "Choose an answer." : "Enter an answer.";
    }
    if (f.kind === "id") {
      if (v.length > 64 || !idPattern.test(v)) {
        return 'Use only letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64).';
      }
    } else if (f.kind === "text") {
      var most = f.max || config.maxName;
      if (v.length > most) { return "Use at most " + most + " characters."; }
      if (/[\u0000-\u001f\u007f]/.test(v)) { return "Use printable characters only."; }
    } else if (f.kind === "notes") {
      if (v.length > config.maxNotes) { return "Use at most " + config.maxNotes + " characters."; }
    } else if (f.kind === "number") {
      var n = years(v);
      if (n === null || n < 0 || n > config.maxYears) {
        return "Enter a number of years from 0 to " + config.maxYears + ", such as 3 or 1.5.";
      }
    } else if (f.codes.indexOf(v) < 0) {
      return "Choose one of the answers offered.";
    }
    if (f.key === "respondent.role") {
      var bg = value(byKey["respondent.background"]);
      if (bg && config.roles[v] !== bg) { return "This role belongs to the other background: choose one of yours."; }
    }
    return "";
  }

  function years(v) {
    var text = v.replace(/\s/g, "");
    if (text.indexOf(",") >= 0 && text.indexOf(".") < 0) { text = text.replace(",", "."); }
    if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) { return null; }
    var n = parseFloat(text);
    return isFinite(n) ? n : null;
  }

  function showProblem(f, message) {
    var box = document.getElementById(domId(f.key));
    var line = document.getElementById(domId(f.key) + "-error");
    line.textContent = message;
    line.hidden = !message;
    if (isRadio(f)) {
      box.classList.toggle("invalid", !!message);
      radios(f).forEach(function (r) { if (message) { r.setAttribute("aria-invalid", "true"); } else { r.removeAttribute("aria-invalid"); } });
    } else if (message) {
      input(f).setAttribute("aria-invalid", "true");
    } else {
      input(f).removeAttribute("aria-invalid");
    }
  }

  function check(list) {
    var found = [];
    list.forEach(function (f) {
      var message = problem(f, value(f));
      showProblem(f, message);
      if (message) { found.push({ field: f, message: message }); }
    });
    return found;
  }

  function showSummary(found) {
    errorsList.textContent = "";
    if (!found.length) { errorsBox.hidden = true; return; }
    found.forEach(function (p) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = isRadio(p.field) ? radios(p.field)[0] : input(p.field);
      link.href = "#" + target.id;
      link.textContent = label(p.field) + ": " + p.message;
      link.addEventListener("click", function (event) { event.preventDefault(); target.focus(); });
      item.appendChild(link);
      errorsList.appendChild(item);
    });
    errorsBox.hidden = false;
    errorsBox.focus();
  }

  function fieldsOn(i) { return fields.filter(function (f) { return pageOf(f) === i; }); }

  // ---- pages and progress ----
  function progress() {
    var answered = fields.filter(function (f) { return f.kind === "scale" && value(f) !== ""; }).length;
    var bar = document.getElementById("progress");
    bar.value = answered;
    var title = document.getElementById("page-" + current + "-title").textContent;
    document.getElementById("progress-label").textContent = "Page " + (current + 1) + " of " + pages.length + ": " + title;
    document.getElementById("progress-count").textContent = answered + " of " + scaleCount + " questions answered" + (storage ? " (saved in this browser)" : "");
  }

  function go(i, focus) {
    current = Math.max(0, Math.min(pages.length - 1, i));
    pages.forEach(function (p, n) { p.hidden = n !== current; });
    backButton.hidden = current === 0;
    nextButton.hidden = current === pages.length - 1;
    errorsBox.hidden = true;
    progress();
    save();
    if (focus) {
      window.scrollTo(0, 0);
      document.getElementById("page-" + current + "-title").focus();
    }
  }

  // ---- autosave ----
  function collect() {
    var values = {};
    fields.forEach(function (f) { var v = value(f); if (v !== "") { values[f.key] = v; } });
    return values;
  }

  function save() {
    if (!storage) { return; }
    try {
      storage.setItem(config.storageKey, JSON.stringify({ version: 1, page: current, values: collect() }));
    } catch (e) {
      say("This browser could not save your answers: download your sheet before closing the page.");
    }
  }

  function restore() {
    if (!storage) {
      say("This browser does not keep answers for this page: finish it and download your sheet before closing it.");
      return 0;
    }
    var saved = null;
    try { saved = JSON.parse(storage.getItem(config.storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved.values !== "object") { return 0; }
    var bg = byKey["respondent.background"];
    if (bg && typeof saved.values[bg.key] === "string") { setValue(bg, saved.values[bg.key]); filterRoles(); }
    fields.forEach(function (f) {
      var v = saved.values[f.key];
      if (typeof v === "string") { setValue(f, v); }
    });
    if (Object.keys(saved.values).length) { say("Your earlier answers were restored from this browser."); }
    return typeof saved.page === "number" ? saved.page : 0;
  }

  function say(text) { statusBox.textContent = text; }

  // ---- the role list follows the background ----
  function filterRoles() {
    var bgField = byKey["respondent.background"];
    var roleField = byKey["respondent.role"];
    if (!bgField || !roleField) { return; }
    var bg = value(bgField);
    var select = input(roleField);
    Array.prototype.forEach.call(select.options, function (option) {
      var other = option.value !== "" && bg !== "" && config.roles[option.value] !== bg;
      option.hidden = other;
      option.disabled = other;
    });
    if (select.value && bg && config.roles[select.value] !== bg) { select.value = ""; }
  }

  // ---- a context sheet: each question in the words of the level chosen ----
  function reword() {
    var levelField = byKey["respondent.level"];
    if (!levelField || config.kind !== "context") { return; }
    var level = value(levelField);
    Object.keys(config.wordings).forEach(function (key) {
      var f = byKey[key];
      var words = config.wordings[key][level];
      if (!f || !words) { return; }
      document.getElementById(domId(key)).querySelector("legend").textContent = words;
    });
  }

  // ---- the sheet ----
  function tomlString(text) {
    var out = '"';
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      var ch = text.charAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        var low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) { out += ch + text.charAt(i + 1); i++; continue; }
      }
      if (ch === '"') { out += '\\"'; }
      else if (ch === "\\") { out += "\\\\"; }
      else if (ch === "\n") { out += "\\n"; }
      else if (ch === "\t") { out += "\\t"; }
      else if (ch === "\r") { out += "\\r"; }
      else if (code < 0x20 || code === 0x7f) { out += "\\u" + ("000" + code.toString(16)).slice(-4); }
      else if (code >= 0xd800 && code <= 0xdfff) { out += "\\uFFFD"; }
      else { out += ch; }
    }
    return out + '"';
  }

  function tomlValue(f, v) {
    if (f.kind === "scale") { return v === config.na ? tomlString(v) : String(parseInt(v, 10)); }
    if (f.kind === "number") { return String(years(v)); }
    return tomlString(f.kind === "notes" ? v : v.trim());
  }

  function today() {
    var d = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function sheet() {
    var values = collect();
    var what = { rating: "360° rating", context: "context sheet", self: "answer sheet" }[config.kind];
    var lines = ["# qim " + what + ", framework " + config.framework + ", filled in with the offline form", "schema_version = 1"];
    if (config.kind === "context") { lines.push('kind = "context"'); }
    if (config.kind !== "rating") { lines.push("assessed_on = " + today()); }
    var tables = {};
    var order = [];
    fields.forEach(function (f) {
      var v = values[f.key];
      if (v === undefined || (f.kind !== "notes" && v.trim() === "")) { return; }
      var dot = f.key.lastIndexOf(".");
      var table = dot < 0 ? "" : f.key.slice(0, dot);
      var name = dot < 0 ? f.key : f.key.slice(dot + 1);
      if (!tables[table]) { tables[table] = []; order.push(table); }
      tables[table].push(name + " = " + tomlValue(f, v));
    });
    (tables[""] || []).forEach(function (line) { lines.push(line); });
    order.forEach(function (table) {
      if (table === "") { return; }
      lines.push("", "[" + table + "]");
      tables[table].forEach(function (line) { lines.push(line); });
    });
    return lines.join("\n") + "\n";
  }

  function fileName() {
    var v = collect();
    var safe = function (s) { return (s || "").replace(/[^A-Za-z0-9._-]/g, "_"); };
    if (config.kind === "rating") {
      return "qim-rating-" + safe(v["subject"]) + "-" + safe(v["rater.role"]) + (v["rater.id"] ? "-" + safe(v["rater.id"]) : "") + ".toml";
    }
    if (config.kind === "context") {
      return "qim-context-" + safe(v["respondent.id"]) + "-" + today() + ".toml";
    }
    return "qim-" + safe(v["respondent.id"]) + "-" + today() + ".toml";
  }

  function download() {
    var found = check(fields);
    if (found.length) {
      go(pageOf(found[0].field), false);
      showSummary(found.filter(function (p) { return pageOf(p.field) === current; }));
      return;
    }
    var blob = new Blob([sheet()], { type: "application/toml" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    document.getElementById("done").hidden = false;
    say("Downloaded " + link.download + ".");
  }

  // ---- wiring ----
  function shown(f) { return !document.getElementById(domId(f.key) + "-error").hidden; }

  form.addEventListener("change", function (event) {
    var f = byKey[event.target.name];
    if (f && f.key === "respondent.background") { filterRoles(); }
    if (f && f.key === "respondent.level") { reword(); }
    if (f && f.kind === "option") {
      // the two picks are checked together: one may settle, or break, the other
      var both = pair(f);
      var same = value(both[0]) !== "" && value(both[0]) === value(both[1]);
      both.forEach(function (g) { if (shown(g) || (same && pickOf(g) === "worst")) { showProblem(g, problem(g, value(g))); } });
    } else if (f && shown(f)) { showProblem(f, problem(f, value(f))); }
    save();
    progress();
  });
  form.addEventListener("input", function () { save(); });
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.type !== "radio" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key.toLowerCase();
    var wanted = /^[1-5]$/.test(key) ? key : (key === "n" ? config.na : null);
    if (byKey[target.name] && byKey[target.name].kind === "option") { wanted = /^[a-d]$/.test(key) ? key : null; }
    if (wanted === null) { return; }
    var choice = radios(byKey[target.name]).filter(function (r) { return r.value === wanted; })[0];
    if (!choice) { return; }
    event.preventDefault();
    choice.checked = true;
    choice.focus();
    choice.dispatchEvent(new Event("change", { bubbles: true }));
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  nextButton.addEventListener("click", function () {
    var found = check(fieldsOn(current));
    if (found.length) { showSummary(found); return; }
    go(current + 1, true);
  });
  backButton.addEventListener("click", function () { go(current - 1, true); });
  Array.prototype.forEach.call(form.querySelectorAll("button.clear-scenario"), function (button) {
    button.addEventListener("click", function () {
      var best = byKey["scenarios." + button.getAttribute("data-scenario") + ".best"];
      pair(best).forEach(function (g) { setValue(g, ""); showProblem(g, ""); });
      save();
      say("Your answers to this scenario were cleared.");
    });
  });
  document.getElementById("download").addEventListener("click", download);
  document.getElementById("clear").addEventListener("click", function () {
    if (!window.confirm("Clear every answer from this browser? Download your sheet first if you need it.")) { return; }
    if (storage) { storage.removeItem(config.storageKey); }
    form.reset();
    filterRoles();
    reword();
    fields.forEach(function (f) { showProblem(f, ""); });
    document.getElementById("done").hidden = true;
    go(0, true);
    say("Your answers were cleared from this browser.");
  });

  var page = restore();
  filterRoles();
  reword();
  go(page, false);
})();
