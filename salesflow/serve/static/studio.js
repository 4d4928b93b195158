// The studio page: keeps the editor, the chart, the review and the handbook in step with the draft.
// It talks only to the server that served it (the token goes with every request), draws the chart
// from a sanitized copy of the SVG, and hears of changes on disk through server-sent events.
"use strict";

(function () {
  const settings = JSON.parse(document.getElementById("studio-settings").textContent);
  const T = settings.texts;
  const $ = (id) => document.getElementById(id);
  const REVIEW_DELAY = 300; // ms after the last keystroke

  const state = {
    path: null, // the open file, relative to the served folder
    version: "", // the version on disk the draft is based on
    saved: "", // the text as last loaded or saved
    block: null, // the Markdown block under review
    blocks: [], // the Markdown file's flowchart blocks: {number, first, last}
    nodes: [], // node index → {id, line}
    findings: [],
    roles: [],
    sequence: 0, // reviews answered out of order are dropped
    timer: null,
  };

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (values && key in values ? String(values[key]) : ""));
  }

  for (const element of document.querySelectorAll("[data-text]")) element.textContent = T[element.dataset.text];
  for (const element of document.querySelectorAll("[data-title]")) element.title = T[element.dataset.title];

  // ------------------------------------------------------------------ talking to the server

  async function call(path, body) {
    const options = { headers: { "X-Salesflow-Token": settings.token } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = { refused: response.statusText };
    }
    return { status: response.status, data };
  }

  function query(values) {
    const params = new URLSearchParams(values);
    params.set("token", settings.token);
    return params.toString();
  }

  // ------------------------------------------------------------------ the editor

  const editor = window.SalesflowEditor.create({
    parent: $("editor"),
    doc: "",
    nonce: settings.nonce,
    label: T.title,
    onChange: () => {
      showDirty();
      clearTimeout(state.timer);
      state.timer = setTimeout(review, REVIEW_DELAY);
    },
    onSave: () => save(),
    onCursor: followCursor,
  });

  function dirty() {
    return state.path !== null && editor.getText() !== state.saved;
  }

  function showDirty() {
    $("status").textContent = dirty() ? T.unsaved : "";
    $("status").classList.toggle("dirty", dirty());
  }

  function notice(text) {
    $("notice").textContent = text;
    $("notice").hidden = !text;
  }

  // ------------------------------------------------------------------ files

  async function listFiles(select) {
    const { data } = await call("/api/files");
    const list = $("file");
    list.textContent = "";
    for (const name of data.files) list.append(new Option(name, name, false, name === select));
    if (settings.folder) {
      list.closest("label").hidden = false;
      $("new").hidden = false;
    } else if (data.files.length) {
      $("single-file").hidden = false;
      $("single-file").textContent = data.files[0];
    }
    const templates = $("new-template");
    templates.textContent = "";
    for (const t of data.templates) templates.append(new Option(t.title, t.name));
    $("new-lang").value = settings.lang;
    if (!data.files.length) notice(T.no_files);
    return data.files;
  }

  async function open(path) {
    const { status, data } = await call("/api/file?" + new URLSearchParams({ path }));
    if (status !== 200) return notice(say(T.refused, { message: data.refused }));
    state.path = data.path;
    state.version = data.version;
    state.saved = data.text;
    state.block = null;
    state.blocks = [];
    editor.setText(data.text);
    $("file").value = data.path;
    showDirty();
    await review();
  }

  $("file").addEventListener("change", async (event) => {
    if (dirty() && !(await save())) {
      event.target.value = state.path;
      return;
    }
    open(event.target.value);
  });

  $("block").addEventListener("change", (event) => {
    state.block = Number(event.target.value);
    review();
  });

  // ------------------------------------------------------------------ review: chart and findings

  async function review() {
    if (state.path === null) return;
    const sequence = ++state.sequence;
    $("status").textContent = T.reviewing;
    const { status, data } = await call("/api/review", { path: state.path, text: editor.getText(), block: state.block });
    if (sequence !== state.sequence) return;
    showDirty();
    if (status !== 200) return notice(say(T.refused, { message: data.refused }));
    if (data.too_slow) return showError(T.too_slow, null);
    showBlocks(data.blocks || [], data.block);
    if (data.errors.length) {
      const first = data.errors[0];
      showError(say(T.parse_error, first), first.line);
      editor.setProblems(data.errors.map((e) => ({ ...e, severity: "error" })));
      return;
    }
    showError(data.render_error ? say(T.render_error, { message: data.render_error }) : null, null);
    state.nodes = data.nodes;
    state.findings = data.findings;
    state.roles = data.roles;
    if (data.svg) draw(data.svg);
    showFindings(data.findings, data.config_error);
    editor.setProblems(
      data.findings.map((f) => ({
        line: f.line, column: f.column, endLine: f.end_line, endColumn: f.end_column,
        severity: f.severity, message: `${f.code} ${f.rule}: ${f.message}`,
      })),
    );
    showRoles(data.roles);
    if (!$("handbook-panel").hidden) showHandbook();
  }

  function showBlocks(blocks, current) {
    state.blocks = blocks;
    const select = $("block");
    select.closest("label").hidden = blocks.length < 2;
    select.textContent = "";
    for (const b of blocks) select.append(new Option(say(T.block, { number: b.number }), b.number, false, b.number === current));
  }

  // In a Markdown file, the chart shown is the one the cursor is in.
  function followCursor(line) {
    const inside = (state.blocks || []).find((b) => b.first <= line && line <= b.last);
    if (!inside || inside.number === Number($("block").value)) return;
    state.block = inside.number;
    $("block").value = String(inside.number);
    review();
  }

  function showError(message, line) {
    const banner = $("error");
    banner.hidden = !message;
    banner.textContent = message || "";
    banner.dataset.line = line || "";
    // The chart and the review below it are the last version that read: dimmed until the draft reads again.
    $("viewport").classList.toggle("stale", Boolean(message));
    $("findings").closest(".findings").classList.toggle("stale", Boolean(message));
  }

  $("error").addEventListener("click", () => {
    const line = Number($("error").dataset.line);
    if (line) editor.selectLine(line);
  });

  function showFindings(findings, configError) {
    const list = $("findings");
    list.textContent = "";
    const count = { error: 0, warning: 0, info: 0 };
    for (const f of findings) count[f.severity] = (count[f.severity] || 0) + 1;
    $("summary").textContent = findings.length
      ? say(T.summary, { errors: count.error, warnings: count.warning, infos: count.info })
      : T.clean;
    if (configError) {
      const item = document.createElement("li");
      item.className = "config-error";
      item.textContent = say(T.config_error, { message: configError });
      list.append(item);
    }
    findings.forEach((f, number) => {
      const item = document.createElement("li");
      item.className = `finding ${f.severity}`;
      item.tabIndex = 0;
      item.dataset.index = number;
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = say(T.line, { line: f.line });
      const severity = document.createElement("span");
      severity.className = "severity";
      severity.textContent = T["severity_" + f.severity] || f.severity;
      const code = document.createElement("code");
      code.textContent = f.code;
      const message = document.createElement("span");
      message.className = "message";
      message.textContent = f.message;
      item.append(severity, " ", code, " ", message, " ", where);
      list.append(item);
    });
  }

  function choose(number) {
    const f = state.findings[number];
    if (!f) return;
    for (const item of document.querySelectorAll(".finding.chosen")) item.classList.remove("chosen");
    const item = document.querySelector(`.finding[data-index="${number}"]`);
    if (item) item.classList.add("chosen");
    focusNode(f.node);
    editor.selectLine(f.line);
  }

  $("findings").addEventListener("click", (event) => {
    const item = event.target.closest(".finding");
    if (item) choose(Number(item.dataset.index));
  });
  $("findings").addEventListener("keydown", (event) => {
    const item = event.target.closest(".finding");
    if (item && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      choose(Number(item.dataset.index));
    }
  });

  // ------------------------------------------------------------------ the chart

  // What may stay of the SVG: Graphviz's drawing elements and their presentation attributes.
  // Scripts, foreign HTML, event handlers, links and styles are dropped, whatever the chart says.
  const ELEMENTS = new Set([
    "svg", "g", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle", "rect", "line",
    "text", "tspan", "defs", "lineargradient", "radialgradient", "stop",
  ]);
  const ATTRIBUTES = /^(id|class|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|d|points|width|height|viewbox|transform|fill|fill-opacity|stroke|stroke-width|stroke-dasharray|stroke-opacity|stroke-linecap|stroke-linejoin|opacity|font-family|font-size|font-weight|font-style|text-anchor|text-decoration|dominant-baseline|offset|stop-color|stop-opacity|gradientunits|gradienttransform|preserveaspectratio|xmlns|xmlns:xlink)$/i;

  function sanitize(node) {
    for (const child of [...node.children]) {
      const name = child.localName.toLowerCase();
      if (name === "a") {
        // A link keeps its drawing and its tooltip, never its address.
        const group = document.createElementNS("http://www.w3.org/2000/svg", "g");
        const tip = child.getAttributeNS("http://www.w3.org/1999/xlink", "title") || child.getAttribute("title");
        if (tip) {
          const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
          title.textContent = tip;
          group.append(title);
        }
        group.append(...child.childNodes);
        child.replaceWith(group);
        sanitize(group);
        continue;
      }
      if (!ELEMENTS.has(name) || child.namespaceURI !== "http://www.w3.org/2000/svg") {
        child.remove();
        continue;
      }
      for (const attribute of [...child.attributes]) {
        const value = attribute.value.trim().toLowerCase();
        if (!ATTRIBUTES.test(attribute.name) || value.includes("url(") || value.includes("javascript:")) {
          child.removeAttributeNode(attribute);
        }
      }
      sanitize(child);
    }
  }

  function draw(svgText) {
    const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const svg = parsed.documentElement;
    if (!svg || svg.localName !== "svg" || parsed.querySelector("parsererror")) return;
    const holder = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    holder.append(svg);
    sanitize(holder);
    const clean = holder.firstElementChild;
    if (!clean) return;
    for (const attribute of [...clean.attributes]) {
      if (!ATTRIBUTES.test(attribute.name)) clean.removeAttributeNode(attribute);
    }
    const stage = $("stage");
    const first = !stage.firstElementChild;
    stage.textContent = "";
    stage.append(document.importNode(clean, true));
    if (first) fit();
  }

  function focusNode(index) {
    for (const node of document.querySelectorAll("#stage .sf-focus")) node.classList.remove("sf-focus");
    if (index === null || index === undefined) return;
    const node = document.getElementById(`sf-node-${index}`);
    if (node) node.classList.add("sf-focus");
  }

  $("stage").addEventListener("click", (event) => {
    if (view.moved) return;
    const node = event.target.closest(".sf-node");
    if (!node) return;
    const index = Number(node.id.replace("sf-node-", ""));
    const known = state.nodes.find((n) => n.index === index);
    focusNode(index);
    if (known) editor.selectLine(known.line);
  });

  // Pan with the mouse, zoom with the wheel (around the pointer) or the buttons.
  const view = { x: 0, y: 0, scale: 1, dragging: null, moved: false };

  function place() {
    $("stage").style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  }

  function zoom(factor, cx, cy) {
    const box = $("viewport").getBoundingClientRect();
    const px = cx === undefined ? box.width / 2 : cx - box.left;
    const py = cy === undefined ? box.height / 2 : cy - box.top;
    const scale = Math.min(8, Math.max(0.1, view.scale * factor));
    view.x = px - ((px - view.x) * scale) / view.scale;
    view.y = py - ((py - view.y) * scale) / view.scale;
    view.scale = scale;
    place();
  }

  function fit() {
    const svg = $("stage").firstElementChild;
    if (!svg) return;
    const box = $("viewport").getBoundingClientRect();
    const width = svg.width.baseVal.value || 1;
    const height = svg.height.baseVal.value || 1;
    view.scale = Math.min(1.5, (box.width - 24) / width, (box.height - 24) / height);
    view.x = (box.width - width * view.scale) / 2;
    view.y = 12;
    place();
  }

  $("viewport").addEventListener("wheel", (event) => {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
  }, { passive: false });
  $("viewport").addEventListener("pointerdown", (event) => {
    if (event.target.closest(".zoom")) return;
    view.dragging = { x: event.clientX - view.x, y: event.clientY - view.y, startX: event.clientX, startY: event.clientY };
    view.moved = false;
  });
  window.addEventListener("pointermove", (event) => {
    if (!view.dragging) return;
    if (Math.abs(event.clientX - view.dragging.startX) + Math.abs(event.clientY - view.dragging.startY) > 4) view.moved = true;
    if (!view.moved) return;
    view.x = event.clientX - view.dragging.x;
    view.y = event.clientY - view.dragging.y;
    place();
  });
  window.addEventListener("pointerup", () => {
    view.dragging = null;
    setTimeout(() => (view.moved = false), 0);
  });
  $("zoom-in").addEventListener("click", () => zoom(1.25));
  $("zoom-out").addEventListener("click", () => zoom(0.8));
  $("zoom-fit").addEventListener("click", fit);

  // ------------------------------------------------------------------ the handbook

  function showRoles(roles) {
    const select = $("role");
    const chosen = select.value;
    select.textContent = "";
    select.append(new Option(T.role_all, ""));
    for (const role of roles) select.append(new Option(role, role, false, role === chosen));
  }

  function showHandbook() {
    const values = { path: state.path, role: $("role").value };
    if (state.block !== null) values.block = state.block;
    $("handbook").src = "/handbook?" + query(values);
  }

  function showTab(handbook) {
    $("tab-chart").setAttribute("aria-selected", String(!handbook));
    $("tab-handbook").setAttribute("aria-selected", String(handbook));
    $("chart-panel").hidden = handbook;
    $("handbook-panel").hidden = !handbook;
    if (handbook) showHandbook();
  }

  $("tab-chart").addEventListener("click", () => showTab(false));
  $("tab-handbook").addEventListener("click", () => showTab(true));
  $("role").addEventListener("change", showHandbook);

  // ------------------------------------------------------------------ saving, and changes on disk

  async function save() {
    if (state.path === null) return false;
    const text = editor.getText();
    const { status, data } = await call("/api/save", { path: state.path, text, version: state.version });
    if (status === 200) {
      state.version = data.version;
      state.saved = text;
        showDirty();
      if (!dirty()) $("status").textContent = T.saved;
      notice("");
      return true;
    }
    if (status === 409) {
      conflict(data.disk);
      return false;
    }
    notice(say(T.refused, { message: data.refused }));
    return false;
  }

  let disk = null; // what is on disk, during a conflict

  function conflict(onDisk) {
    disk = onDisk;
    $("conflict-body").textContent = say(onDisk ? T.conflict_body : T.conflict_deleted, { path: state.path });
    $("conflict-reload").hidden = !onDisk;
    $("conflict-compare").hidden = !onDisk;
    $("compare").hidden = true;
    $("conflict").hidden = false;
  }

  function closeConflict() {
    $("conflict").hidden = true;
  }

  $("conflict-reload").addEventListener("click", () => {
    closeConflict();
    state.version = disk.version;
    state.saved = disk.text;
    editor.setText(disk.text);
    showDirty();
    review();
  });
  $("conflict-compare").addEventListener("click", () => {
    $("compare-mine").textContent = editor.getText();
    $("compare-disk").textContent = disk.text;
    $("compare").hidden = false;
  });
  $("conflict-overwrite").addEventListener("click", () => {
    // The author has seen that the file changed and chooses their own text.
    closeConflict();
    state.version = disk ? disk.version : "";
    save();
  });
  $("conflict-keep").addEventListener("click", closeConflict);

  $("save").addEventListener("click", () => save());

  async function changedOnDisk(event) {
    const change = JSON.parse(event.data);
    if (settings.folder && ![...$("file").options].some((o) => o.value === change.path)) listFiles(state.path);
    if (change.path !== state.path || change.version === state.version) return;
    if (change.version === null) {
      notice(say(T.conflict_deleted, { path: change.path }));
      return;
    }
    if (dirty()) {
      notice(say(T.external_pending, { path: change.path }));
      return;
    }
    const { status, data } = await call("/api/file?" + new URLSearchParams({ path: change.path }));
    if (status !== 200 || change.path !== state.path || dirty()) return;
    state.version = data.version;
    state.saved = data.text;
    editor.setText(data.text);
    notice(say(T.external_loaded, { path: change.path }));
    review();
  }

  const events = new EventSource("/api/events?" + query({}));
  events.addEventListener("change", changedOnDisk);
  events.addEventListener("error", () => notice(T.disconnected));
  events.addEventListener("open", () => {
    if ($("notice").textContent === T.disconnected) notice("");
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty()) event.preventDefault();
  });

  // ------------------------------------------------------------------ a new chart from a template

  $("new").addEventListener("click", () => {
    $("new-error").hidden = true;
    $("new-dialog").hidden = false;
    $("new-name").focus();
  });
  $("new-cancel").addEventListener("click", () => ($("new-dialog").hidden = true));
  $("new-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const path = $("new-name").value.trim();
    const { status, data } = await call("/api/new", { path, template: $("new-template").value, lang: $("new-lang").value });
    if (status !== 200) {
      $("new-error").textContent = status === 409 ? say(T.exists, { path }) : T.bad_name;
      $("new-error").hidden = false;
      return;
    }
    $("new-dialog").hidden = true;
    await listFiles(data.path);
    open(data.path);
  });

  // ------------------------------------------------------------------ start

  (async function start() {
    const files = await listFiles(null);
    const wanted = new URLSearchParams(location.search).get("file");
    if (files.length) open(files.includes(wanted) ? wanted : files[0]);
  })();
})();
