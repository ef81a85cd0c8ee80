// The sandbox page: draws what the server's /api/state says a person sees, renders the
// bot's Block Kit, and sends what the person does to the sandbox's API. Every text that
// comes from the workspace (names, messages, themes) becomes a DOM text node; nothing is
// ever parsed as HTML.
"use strict";

const ui = {
  me: null, // the person acted as
  conv: null, // the open conversation
  tab: "messages", // in the app's DM: "home" or "messages"
  state: null,
  seen: {}, // "user conversation" -> message count seen, for unread marks
  modalKey: null,
  homeKey: null,
  busy: 0,
  refreshing: false,
  refreshAgain: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// -- talking to the sandbox -----------------------------------------------------------------

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  let answer = null;
  try { answer = await response.json(); } catch (_) { answer = null; }
  if (!response.ok) {
    throw new Error((answer && answer.notice) || `The sandbox answered HTTP ${response.status}`);
  }
  return answer;
}

async function act(path, body, label) {
  ui.busy += 1;
  setBusy(label || "Mentorbot is working…");
  try {
    const outcome = await api(path, {as: ui.me, ...body});
    if (outcome && outcome.notice) toast(outcome.notice, outcome.ok ? "" : "error", outcome.details);
    return outcome;
  } catch (error) {
    toast(error.message, "error");
    return null;
  } finally {
    ui.busy -= 1;
    setBusy(null);
    await refresh();
  }
}

function setBusy(label) {
  let badge = document.querySelector(".working");
  if (ui.busy > 0 && label) {
    if (!badge) { badge = el("div", {class: "working", role: "status"}); document.body.append(badge); }
    badge.textContent = label;
  } else if (ui.busy === 0 && badge) {
    badge.remove();
  }
  for (const button of document.querySelectorAll(".clock button")) button.disabled = ui.busy > 0;
}

function toast(text, kind, details) {
  const close = el("button", {class: "toast-close", type: "button", "aria-label": "Dismiss"}, "×");
  const node = el("div", {class: `toast ${kind || ""}`, role: kind === "error" ? "alert" : "status"},
    close, text,
    details && details.length ? el("ul", {}, details.map((line) => el("li", {}, line))) : null);
  close.addEventListener("click", () => node.remove());
  $("toasts").append(node);
  setTimeout(() => node.remove(), details && details.length ? 15000 : 7000);
}

async function refresh() {
  if (ui.refreshing) { ui.refreshAgain = true; return; }
  ui.refreshing = true;
  try {
    do {
      ui.refreshAgain = false;
      const asked = [ui.me, ui.conv];
      const query = new URLSearchParams({as: ui.me || ""});
      if (ui.conv) query.set("c", ui.conv);
      const state = await api(`/api/state?${query}`);
      if (ui.me !== asked[0] || ui.conv !== asked[1]) {
        // The visitor switched person or conversation meanwhile: this answer is stale.
        ui.refreshAgain = true;
        continue;
      }
      ui.state = state;
      ui.me = state.me;
      ui.conv = state.conversation.id;
      draw(state);
    } while (ui.refreshAgain);
  } catch (error) {
    toast(error.message, "error");
  } finally {
    ui.refreshing = false;
  }
}

function remember() {
  const params = new URLSearchParams({as: ui.me, c: ui.conv});
  if (ui.tab === "home") params.set("tab", "home");
  history.replaceState(null, "", `#${params}`);
}

// -- the page ---------------------------------------------------------------------------------

function draw(state) {
  remember();
  drawTop(state);
  drawSidebar(state);
  drawConversation(state);
  drawModal(state);
}

function drawTop(state) {
  $("clock-now").textContent = state.now.label;
  $("clock-now").title = `Time zone ${state.now.zone}`;
  $("clock-end").disabled = ui.busy > 0 || !state.term;
  $("term").textContent = state.term
    ? `${state.term.name} · until ${state.term.ends} · at least ${state.term.min} meetings`
    : "No term yet";
  const select = $("act-as");
  const wanted = JSON.stringify(state.people);
  if (select.dataset.people !== wanted) {
    select.replaceChildren(...state.people.map((person) =>
      el("option", {value: person.id},
        `${person.name} (@${person.handle})${person.role ? ` — ${person.role}` : ""}`)));
    select.dataset.people = wanted;
  }
  select.value = state.me;
}

function drawSidebar(state) {
  const item = (conv, sigil, label) => {
    const key = `${state.me} ${conv.id}`;
    if (!(key in ui.seen) || conv.id === state.conversation.id) ui.seen[key] = conv.count;
    const unread = conv.count - ui.seen[key];
    const button = el("button", {
      type: "button",
      class: [conv.id === state.conversation.id ? "active" : "", unread > 0 ? "unread" : ""].join(" "),
      dataset: {conv: conv.id},
      "aria-current": conv.id === state.conversation.id ? "page" : null,
      onclick: () => openConversation(conv.id),
    }, el("span", {class: "sigil", "aria-hidden": "true"}, sigil), el("span", {class: "label"}, label),
    unread > 0 ? el("span", {class: "badge", "aria-label": `${unread} new`}, String(unread)) : null);
    return el("li", {}, button);
  };
  $("channels").replaceChildren(...state.sidebar.channels.map((c) =>
    item(c, c.private ? "🔒" : "#", c.name)));
  $("apps").replaceChildren(...state.sidebar.apps.map((a) => item(a, "🤖", a.name)));
}

function openConversation(id) {
  if (id !== ui.conv) ui.tab = "messages";
  ui.conv = id;
  refresh();
}

function drawConversation(state) {
  const conv = state.conversation;
  const isApp = conv.kind === "app";
  $("conv-title").textContent = isApp ? conv.name : `${conv.private ? "🔒 " : "# "}${conv.name}`;
  $("conv-purpose").replaceChildren(isApp
    ? "Your app: its Home tab and your messages with it"
    : mrkdwn(conv.purpose || `${conv.members} members`, state));
  $("tabs").hidden = !isApp;
  const onHome = isApp && ui.tab === "home";
  $("tab-home").setAttribute("aria-selected", String(onHome));
  $("tab-messages").setAttribute("aria-selected", String(!onHome));
  $("home").hidden = !onHome;
  $("messages").hidden = onHome;
  $("composer").hidden = onHome;
  $("composer-text").placeholder = isApp
    ? "Message Mentorbot, or type /mentor help"
    : `Message #${conv.name}, or type /mentor help`;
  if (onHome) drawHome(state);
  else drawMessages(state);
}

function drawMessages(state) {
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const rows = [];
  let day = null;
  for (const message of state.conversation.messages) {
    if (message.day !== day) {
      day = message.day;
      rows.push(el("div", {class: "day-divider"}, el("span", {}, day)));
    }
    rows.push(drawMessage(message, state));
  }
  if (!rows.length) rows.push(el("div", {class: "empty"}, "No messages here yet."));
  box.replaceChildren(...rows);
  if (atBottom || box.dataset.conv !== state.conversation.id) box.scrollTop = box.scrollHeight;
  box.dataset.conv = state.conversation.id;
}

function avatar(message) {
  const initials = message.author.split(/\s+/).map((part) => part[0] || "").join("").slice(0, 2);
  const node = el("div", {class: `avatar${message.is_bot ? " bot" : ""}`, "aria-hidden": "true"},
    message.is_bot ? "🤖" : initials.toUpperCase());
  if (!message.is_bot) node.style.background = colourFor(message.user);
  return node;
}

function colourFor(text) {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360}, 45%, 42%)`;
}

function drawMessage(message, state) {
  const context = {channel: state.conversation.id, ts: message.ts, ephemeral: message.ephemeral};
  const blocks = (message.blocks || []).filter((b) => b.type !== "rich_text");
  const body = blocks.length
    ? renderBlocks(blocks, state, context)
    : [el("div", {class: "mrkdwn"}, mrkdwn(message.text || "", state))];
  return el("article", {
    class: `message${message.ephemeral ? " ephemeral" : ""}`,
    dataset: {ts: message.ts, author: message.author},
  },
  avatar(message),
  el("div", {class: "msg-body"},
    el("div", {class: "msg-meta"},
      el("span", {class: "msg-author"}, message.author),
      message.is_bot ? el("span", {class: "app-badge"}, "APP") : null,
      el("time", {class: "msg-time"}, message.time),
      message.edited ? el("span", {class: "msg-edited"}, "(edited)") : null),
    message.ephemeral ? el("div", {class: "ephemeral-note"}, "Only visible to you") : null,
    body,
    (message.files || []).map((file) => drawFile(file))));
}

function drawFile(file) {
  const query = new URLSearchParams({as: ui.me});
  return el("div", {class: "bk-file"},
    el("span", {class: "file-icon", "aria-hidden": "true"}, file.name.endsWith(".ics") ? "📅" : "📄"),
    el("div", {},
      el("a", {class: "file-name", href: `/api/files/${encodeURIComponent(file.id)}?${query}`,
        download: file.name}, file.title || file.name),
      el("div", {class: "file-size"}, `${file.name} · ${file.size} bytes`)));
}

function drawHome(state) {
  const box = $("home");
  if (!state.home) {
    box.replaceChildren(el("div", {class: "empty"}, "Opening the Home tab…"));
    return;
  }
  const key = JSON.stringify(state.home);
  if (ui.homeKey === key && box.childElementCount) return;
  ui.homeKey = key;
  box.replaceChildren(...renderBlocks(state.home.blocks, state, {view: state.home.id}));
}

// -- mrkdwn ------------------------------------------------------------------------------------

const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES = {amp: "&", lt: "<", gt: ">"};
const unescapeText = (text) => text.replace(ENTITY, (_, name) => ENTITIES[name]);

// Slack's mrkdwn as DOM nodes: <links> and mentions first (kept as placeholders so that
// formatting may surround them), then code, *bold*, _italic_ and ~strike~.
function mrkdwn(text, state) {
  const links = [];
  const marked = String(text).replace(/<([^<>\n]+)>/g, (_, inner) => {
    links.push(inner);
    return `\u{E000}${links.length - 1}\u{E001}`;
  });
  const fragment = document.createDocumentFragment();
  const parts = marked.split(/```/);
  parts.forEach((part, index) => {
    if (index % 2 === 1) fragment.append(el("pre", {}, expand(part, links, state, true)));
    else inline(part, fragment, links, state);
  });
  return fragment;
}

const INLINE = [
  {mark: "`", tag: "code"},
  {mark: "*", tag: "strong"},
  {mark: "_", tag: "em"},
  {mark: "~", tag: "s"},
];

function inline(text, parent, links, state) {
  let rest = text;
  while (rest) {
    let best = null;
    for (const rule of INLINE) {
      const found = findSpan(rest, rule.mark);
      if (found && (!best || found.start < best.start)) best = {...found, rule};
    }
    if (!best) { appendText(parent, rest, links, state); return; }
    appendText(parent, rest.slice(0, best.start), links, state);
    const node = el(best.rule.tag);
    const inner = rest.slice(best.start + 1, best.end);
    if (best.rule.tag === "code") node.append(expand(inner, links, state, true));
    else inline(inner, node, links, state);
    parent.append(node);
    rest = rest.slice(best.end + 1);
  }
}

// A span `mark`…`mark` that Slack would format: the marks touch the text inside and stand
// at word boundaries (so snake_case and 2*3*4 stay as they are).
function findSpan(text, mark) {
  let from = 0;
  while (true) {
    const start = text.indexOf(mark, from);
    if (start < 0) return null;
    const before = start === 0 ? "" : text[start - 1];
    const end = text.indexOf(mark, start + 1);
    if (end < 0) return null;
    const inner = text.slice(start + 1, end);
    const after = end + 1 < text.length ? text[end + 1] : "";
    const boundary = (c) => c === "" || !/[\p{L}\p{N}]/u.test(c);
    const singleLine = mark === "`" || !inner.includes("\n");
    if (inner && inner.trim() === inner && boundary(before) && boundary(after) && singleLine) {
      return {start, end};
    }
    from = start + 1;
  }
}

function appendText(parent, text, links, state) {
  parent.append(expand(text, links, state, false));
}

function expand(text, links, state, literal) {
  const fragment = document.createDocumentFragment();
  const pieces = text.split(/\u{E000}(\d+)\u{E001}/u);
  pieces.forEach((piece, index) => {
    if (index % 2 === 0) {
      const lines = unescapeText(piece).split("\n");
      lines.forEach((line, n) => {
        if (n > 0) fragment.append(literal ? "\n" : el("br"));
        if (line) fragment.append(line);
      });
    } else {
      fragment.append(link(links[Number(piece)], state));
    }
  });
  return fragment;
}

function link(inner, state) {
  const [target, label] = splitOnce(inner, "|");
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const name = (state.names && state.names[id]) || label || id;
    return el("span", {class: `mention${id === state.me ? " me" : ""}`, dataset: {user: id}}, `@${name}`);
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const name = (state.channel_names && state.channel_names[id]) || label || id;
    return el("a", {class: "mention", href: "#", onclick: (event) => { event.preventDefault(); openConversation(id); }},
      `#${name}`);
  }
  if (target.startsWith("!")) {
    const [keyword, fallback] = splitOnce(target.slice(1), "^");
    if (keyword === "date") return dateToken(fallback, unescapeText(label), state);
    return el("span", {class: "mention"}, `@${keyword}`);
  }
  const url = unescapeText(target);
  const safe = /^(https?:|mailto:)/i.test(url);
  return safe
    ? el("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, unescapeText(label || url))
    : document.createTextNode(unescapeText(label || url));
}

// Slack's <!date^UNIX^TOKENS^LINK|FALLBACK>: the moment in the reader's zone (their
// profile's, as the client shows it), "today"/"tomorrow" by the sandbox clock; a token the
// page does not know shows the fallback, as a client that cannot format the date does.
function dateToken(rest, fallback, state) {
  const [unix, tokensAndLink] = splitOnce(rest, "^");
  const [tokens] = splitOnce(tokensAndLink, "^");
  const shown = formatDate(Number(unix), tokens, state);
  const node = el("span", {class: "date", title: fallback}, shown === null ? fallback : shown);
  return node;
}

function formatDate(unix, tokens, state) {
  if (!Number.isFinite(unix)) return null;
  const zone = state.reader_zone || undefined;
  const moment = new Date(unix * 1000);
  const part = (options) => new Intl.DateTimeFormat("en-GB", {timeZone: zone, ...options}).format(moment);
  const dayKey = (date) => new Intl.DateTimeFormat("en-CA", {timeZone: zone}).format(date);
  const dayNumber = (date) => Date.parse(`${dayKey(date)}T00:00:00Z`) / 86400000;
  const now = state.now && state.now.iso ? new Date(state.now.iso) : new Date();
  const relative = {"-1": "yesterday", "0": "today", "1": "tomorrow"}[String(dayNumber(moment) - dayNumber(now))];
  const ordinal = (day) => {
    const teen = day % 100 >= 11 && day % 100 <= 13;
    return `${day}${teen ? "th" : ({1: "st", 2: "nd", 3: "rd"}[day % 10] || "th")}`;
  };
  const day = Number(part({day: "numeric"}));
  const month = part({month: "long"});
  const year = part({year: "numeric"});
  const plain = {
    date_num: dayKey(moment),
    date_slash: part({day: "2-digit", month: "2-digit", year: "numeric"}),
    date: `${month} ${ordinal(day)}, ${year}`,
    date_short: `${part({month: "short"})} ${day}, ${year}`,
    date_long: `${part({weekday: "long"})}, ${month} ${ordinal(day)}, ${year}`,
    date_long_full: `${month} ${day}, ${year}`,
    time: part({hour: "2-digit", minute: "2-digit", hourCycle: "h23"}),
    time_secs: part({hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"}),
  };
  let unknown = false;
  const shown = tokens.replace(/\{([a-z_]+)\}/g, (_, name, offset) => {
    if (name in plain) return plain[name];
    const base = name.replace(/_pretty$/, "");
    if (name.endsWith("_pretty") && base in plain) {
      if (!relative) return plain[base];
      return offset === 0 ? relative[0].toUpperCase() + relative.slice(1) : relative;
    }
    unknown = true;
    return "";
  });
  return unknown ? null : shown;
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

function textObject(obj, state) {
  if (!obj) return document.createTextNode("");
  if (obj.type === "mrkdwn") return el("span", {class: "mrkdwn"}, mrkdwn(obj.text || "", state));
  return document.createTextNode(obj.text || "");
}

// -- Block Kit --------------------------------------------------------------------------------

function renderBlocks(blocks, state, context) {
  return blocks.map((block) => {
    const node = renderBlock(block, state, context);
    node.classList.add("bk-block");
    if (block.block_id) node.dataset.blockId = block.block_id;
    return node;
  });
}

function renderBlock(block, state, context) {
  switch (block.type) {
    case "header":
      return el("div", {class: "bk-header", role: "heading", "aria-level": "3"}, textObject(block.text, state));
    case "section": {
      const main = el("div", {class: "bk-section-main"},
        block.text ? el("div", {class: "mrkdwn"}, textObject(block.text, state)) : null,
        block.fields ? el("div", {class: "bk-fields"},
          block.fields.map((field) => el("div", {class: "mrkdwn"}, textObject(field, state)))) : null);
      return el("div", {class: "bk-section"}, main,
        block.accessory ? renderElement(block.accessory, block, state, context) : null);
    }
    case "context":
      return el("div", {class: "bk-context"}, (block.elements || []).map((item) =>
        item.type === "image"
          ? el("img", {src: imageSource(item.image_url), alt: item.alt_text || ""})
          : el("span", {}, textObject(item, state))));
    case "divider":
      return el("hr", {class: "bk-divider"});
    case "actions":
      return el("div", {class: "bk-actions"},
        (block.elements || []).map((element) => renderElement(element, block, state, context)));
    case "image":
      return el("figure", {class: "bk-image"},
        el("img", {src: imageSource(block.image_url), alt: block.alt_text || ""}),
        block.title ? el("figcaption", {}, textObject(block.title, state)) : null);
    case "input":
      return renderInput(block, state, context);
    default:
      return el("div", {class: "bk-unknown"}, `[${block.type} block]`);
  }
}

function imageSource(url) {
  return /^https?:/i.test(url || "") ? url : "";
}

function renderElement(element, block, state, context) {
  if (element.type === "button") {
    const style = element.style === "primary" ? " btn-primary" : element.style === "danger" ? " btn-danger" : "";
    return el("button", {
      type: "button",
      class: `btn${style}`,
      dataset: {actionId: element.action_id, value: element.value ?? ""},
      onclick: () => press(element, block, element.value, context, state),
    }, textObject(element.text, state));
  }
  if (element.type === "static_select" || element.type === "overflow") {
    const select = el("select", {class: "bk-select", "aria-label": element.placeholder ? element.placeholder.text : "Choose"},
      el("option", {value: ""}, element.placeholder ? element.placeholder.text : "Choose…"),
      optionsOf(element).map((option) => el("option", {value: option.value}, option.text.text)));
    select.addEventListener("change", () => {
      if (select.value) press(element, block, select.value, context, state);
    });
    return select;
  }
  if (element.type === "image") {
    return el("img", {src: imageSource(element.image_url), alt: element.alt_text || "", class: "bk-accessory-image"});
  }
  return el("span", {class: "bk-unknown"}, `[${element.type}]`);
}

function optionsOf(element) {
  const groups = element.option_groups || [];
  return [...(element.options || []), ...groups.flatMap((group) => group.options || [])];
}

async function press(element, block, value, context, state) {
  if (element.confirm && !(await confirmDialog(element.confirm, state))) return;
  const where = context.view
    ? {view_id: context.view}
    : {channel: context.channel, ts: context.ts};
  await act("/api/click", {action_id: element.action_id, block_id: block.block_id, value, ...where});
}

function confirmDialog(confirm, state) {
  return new Promise((resolve) => {
    $("confirm-title").textContent = (confirm.title && confirm.title.text) || "Are you sure?";
    $("confirm-text").replaceChildren(textObject(confirm.text, state));
    const ok = $("confirm-ok");
    ok.textContent = (confirm.confirm && confirm.confirm.text) || "Yes";
    ok.className = `btn ${confirm.style === "danger" ? "btn-danger" : "btn-primary"}`;
    $("confirm-deny").textContent = (confirm.deny && confirm.deny.text) || "Cancel";
    const overlay = $("confirm-overlay");
    overlay.hidden = false;
    const done = (answer) => {
      overlay.hidden = true;
      ok.onclick = null;
      $("confirm-deny").onclick = null;
      resolve(answer);
    };
    ok.onclick = () => done(true);
    $("confirm-deny").onclick = () => done(false);
    ok.focus();
  });
}

// -- modals -----------------------------------------------------------------------------------

function drawModal(state) {
  const overlay = $("modal-overlay");
  const modal = state.modal;
  if (!modal) {
    overlay.hidden = true;
    ui.modalKey = null;
    return;
  }
  const key = JSON.stringify([modal.id, modal.blocks, modal.title, modal.submit]);
  if (key !== ui.modalKey || overlay.hidden) {
    ui.modalKey = key;
    $("modal-title").textContent = modal.title;
    $("modal-submit").textContent = modal.submit || "Submit";
    $("modal-submit").hidden = !modal.submit;
    $("modal-close").textContent = modal.close || "Cancel";
    $("modal-body").replaceChildren(...renderBlocks(modal.blocks, state, {view: modal.id, modal}));
    overlay.hidden = false;
    const first = $("modal-body").querySelector("input, textarea, select");
    if (first) first.focus();
  }
  // Errors change without the view: shown in place, leaving what was typed.
  for (const field of $("modal-body").querySelectorAll(".bk-input")) {
    const message = modal.errors[field.dataset.blockId];
    field.classList.toggle("has-error", Boolean(message));
    const slot = field.querySelector(".bk-error");
    slot.textContent = message || "";
    slot.hidden = !message;
  }
}

let fieldCounter = 0;

function renderInput(block, state, context) {
  const element = block.element || {};
  const id = `field-${++fieldCounter}`;
  const control = renderControl(element, block, state, context, id);
  const labelText = textObject(block.label, state);
  const optional = block.optional ? el("span", {class: "bk-optional"}, " (optional)") : null;
  const grouped = ["checkboxes", "radio_buttons"].includes(element.type);
  return el("div", {class: "bk-input", dataset: {actionId: element.action_id || "", kind: element.type || ""}},
    grouped
      ? el("div", {class: "bk-label", id: `${id}-label`}, labelText, optional)
      : el("label", {for: id}, labelText, optional),
    control,
    block.hint ? el("div", {class: "bk-hint"}, textObject(block.hint, state)) : null,
    el("div", {class: "bk-error", role: "alert", id: `${id}-error`, hidden: true}));
}

function renderControl(element, block, state, context, id) {
  const placeholder = element.placeholder ? element.placeholder.text : null;
  switch (element.type) {
    case "plain_text_input":
      if (element.multiline) {
        const area = el("textarea", {id, name: element.action_id, placeholder, maxlength: element.max_length});
        area.value = element.initial_value || "";
        return area;
      }
      return el("input", {type: "text", id, placeholder, maxlength: element.max_length,
        value: element.initial_value || ""});
    case "number_input":
      return el("input", {type: "number", id, value: element.initial_value || "",
        step: element.is_decimal_allowed ? "any" : "1"});
    case "static_select": {
      const select = el("select", {id},
        el("option", {value: ""}, placeholder || "Choose…"),
        optionsOf(element).map((option) => el("option", {value: option.value}, option.text.text)));
      select.value = element.initial_option ? element.initial_option.value : "";
      return select;
    }
    case "users_select":
    case "multi_users_select": {
      const multiple = element.type === "multi_users_select";
      const select = el("select", {id, multiple},
        multiple ? null : el("option", {value: ""}, placeholder || "Choose a person…"),
        state.people.map((person) => el("option", {value: person.id}, person.name)));
      const initial = multiple ? element.initial_users || [] : [element.initial_user || ""];
      for (const option of select.options) option.selected = initial.includes(option.value);
      return select;
    }
    case "checkboxes":
    case "radio_buttons": {
      const type = element.type === "checkboxes" ? "checkbox" : "radio";
      const initial = type === "checkbox"
        ? (element.initial_options || []).map((option) => option.value)
        : [element.initial_option ? element.initial_option.value : null];
      return el("div", {role: type === "checkbox" ? "group" : "radiogroup", "aria-labelledby": `${id}-label`, id},
        (element.options || []).map((option) => el("label", {class: "bk-choice"},
          el("input", {type, name: id, value: option.value, checked: initial.includes(option.value)}),
          el("span", {}, textObject(option.text, state),
            option.description ? el("div", {class: "bk-hint"}, textObject(option.description, state)) : null))));
    }
    case "datetimepicker":
      return el("input", {type: "datetime-local", id,
        value: (context.modal && context.modal.local_times[block.block_id]) || ""});
    case "datepicker":
      return el("input", {type: "date", id, value: element.initial_date || ""});
    case "timepicker":
      return el("input", {type: "time", id, value: element.initial_time || ""});
    default:
      return el("div", {class: "bk-unknown", id}, `[${element.type} input]`);
  }
}

function modalValues() {
  const values = {};
  for (const field of $("modal-body").querySelectorAll(".bk-input")) {
    const blockId = field.dataset.blockId;
    const actionId = field.dataset.actionId;
    const kind = field.dataset.kind;
    let value;
    if (kind === "checkboxes") {
      value = [...field.querySelectorAll("input:checked")].map((input) => input.value);
    } else if (kind === "radio_buttons") {
      const checked = field.querySelector("input:checked");
      value = checked ? checked.value : null;
    } else if (kind === "multi_users_select") {
      value = [...field.querySelector("select").selectedOptions].map((option) => option.value);
    } else {
      const control = field.querySelector("input, textarea, select");
      if (!control) continue;
      value = control.value;
      if (kind === "number_input" && value === "") value = null;
    }
    values[blockId] = {[actionId]: value};
  }
  return values;
}

async function submitModal(event) {
  event.preventDefault();
  const modal = ui.state && ui.state.modal;
  if (!modal) return;
  $("modal-submit").disabled = true;
  try {
    await act("/api/submit", {view_id: modal.id, values: modalValues()});
  } finally {
    $("modal-submit").disabled = false;
  }
}

async function closeModal() {
  const modal = ui.state && ui.state.modal;
  if (modal) await act("/api/close", {view_id: modal.id}, "Closing…");
}

// -- wiring -----------------------------------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const box = $("composer-text");
  const text = box.value.trim();
  if (!text || !ui.conv) return;
  box.value = "";
  $("composer").classList.add("busy");
  const outcome = await act("/api/send", {channel: ui.conv, text});
  $("composer").classList.remove("busy");
  if (!outcome) box.value = text; // refused: give the text back to fix
  box.focus();
}

async function showTab(tab) {
  ui.tab = tab;
  if (tab === "home") {
    ui.homeKey = null;
    draw(ui.state);
    await act("/api/home", {}, "Opening Home…");
  } else {
    draw(ui.state);
  }
}

function listen() {
  const events = new EventSource("/api/events");
  events.addEventListener("change", () => refresh());
}

function start() {
  const params = new URLSearchParams(location.hash.slice(1));
  ui.me = params.get("as");
  ui.conv = params.get("c");
  ui.tab = params.get("tab") === "home" ? "home" : "messages";
  $("act-as").addEventListener("change", (event) => {
    ui.me = event.target.value;
    ui.conv = null;
    ui.tab = "messages";
    ui.modalKey = null;
    ui.homeKey = null;
    refresh();
  });
  for (const button of document.querySelectorAll(".clock button")) {
    button.addEventListener("click", () => act("/api/clock", {step: button.dataset.step}, "Moving the clock…"));
  }
  $("composer").addEventListener("submit", send);
  $("composer-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) send(event);
  });
  $("tab-home").addEventListener("click", () => showTab("home"));
  $("tab-messages").addEventListener("click", () => showTab("messages"));
  $("modal-form").addEventListener("submit", submitModal);
  $("modal-close").addEventListener("click", closeModal);
  $("modal-x").addEventListener("click", closeModal);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("modal-overlay").hidden && $("confirm-overlay").hidden) closeModal();
  });
  refresh().then(() => { if (ui.tab === "home") showTab("home"); });
  listen();
}

document.addEventListener("DOMContentLoaded", start);
