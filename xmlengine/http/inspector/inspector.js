// The inspector's live rows: each `row` event carries an item's list, id and HTML;
// a known item is replaced, a new one goes on top. No build step, no library.
"use strict";
(function () {
  const KEEP = 100; // items per list
  const status = document.getElementById("live");
  const source = new EventSource("/sandbox/events");
  const show = (text, cls) => { status.textContent = text; status.className = "status " + cls; };
  source.onopen = () => show("live", "on");
  source.onerror = () => show("reconnecting…", "off");
  source.addEventListener("signed-out", () => { source.close(); window.location.reload(); });
  source.addEventListener("row", (event) => {
    const row = JSON.parse(event.data);
    const list = document.getElementById(row.list);
    if (!list) return;
    const holder = document.createElement("template");
    holder.innerHTML = row.html.trim();
    const item = holder.content.firstElementChild;
    const old = document.getElementById(row.id);
    if (old) {
      const open = old.querySelector("details[open]");
      if (open && item.querySelector("details")) item.querySelector("details").open = true;
      old.replaceWith(item);
    } else {
      list.prepend(item);
      while (list.children.length > KEEP) list.lastElementChild.remove();
    }
  });
})();
