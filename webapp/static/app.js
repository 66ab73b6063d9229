// newsearch page behaviour: people/country autocomplete in the query box, and inline
// expansion of folded near-duplicates. Everything works without this file; it only
// saves clicks. Text from the server is inserted with textContent, never as HTML.
"use strict";

(function autocomplete() {
  const input = document.getElementById("q");
  const list = document.getElementById("q-suggestions");
  if (!input || !list) return;
  const form = input.form;
  const FACETS = [["people", "person", "Person"], ["countries", "country", "Country"],
                  ["about", "about", "Mainly about"], ["organizations", "organization", "Organisation"]];
  let items = [];
  let active = -1;
  let timer = null;
  let pending = null;

  function lastWord() {
    const m = input.value.match(/(?:^|\s)([^\s"():]{2,})$/);
    return m ? m[1] : "";
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    items = [];
    active = -1;
  }

  function highlight(index) {
    active = index;
    items.forEach((item, i) => item.el.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].el.id);
  }

  function choose(item) {
    // The typed word becomes a filter: drop it from the query and add person=/country=/about=.
    input.value = input.value.replace(/(?:^|\s)[^\s"():]+$/, "").trim();
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = item.param;
    hidden.value = item.value;
    form.appendChild(hidden);
    close();
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  function render(results) {
    list.replaceChildren();
    items = [];
    results.forEach(({ value, count, param, label }) => {
      const li = document.createElement("li");
      li.id = "q-suggestion-" + items.length;
      li.setAttribute("role", "option");
      li.dataset.param = param;
      const name = document.createElement("span");
      name.textContent = value;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = label + " · " + count.toLocaleString();
      li.append(name, kind);
      const item = { el: li, value, param };
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(item); });
      items.push(item);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    active = -1;
  }

  async function suggest() {
    const word = lastWord();
    if (!word) { close(); return; }
    if (pending) pending.abort();
    pending = new AbortController();
    try {
      const answers = await Promise.all(FACETS.map(async ([facet, param, label]) => {
        const url = `/api/facets/${facet}?limit=5&prefix=${encodeURIComponent(word)}`;
        const response = await fetch(url, { signal: pending.signal });
        if (!response.ok) return [];
        const data = await response.json();
        return data.values.map((v) => ({ ...v, param, label }));
      }));
      render(answers.flat());
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + items.length) % items.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
})();

(function similarCopies() {
  // "3 similar" links open the copies of a folded story under the hit instead of leaving.
  document.querySelectorAll("a.similar[data-dupkey]").forEach((link) => {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const hit = link.closest(".hit");
      const open = hit.querySelector(".copies");
      if (open) {
        open.remove();
        link.setAttribute("aria-expanded", "false");
        return;
      }
      const params = new URL(link.href).searchParams;
      params.set("limit", "50");
      const response = await fetch("/api/search?" + params.toString());
      if (!response.ok) { window.location = link.href; return; }
      const data = await response.json();
      const list = document.createElement("ul");
      list.className = "copies";
      data.hits.filter((h) => h.id !== hit.dataset.id).forEach((h) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/article/" + h.id.split("/").map(encodeURIComponent).join("/");
        a.textContent = h.title || "(untitled)";
        const meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = " · " + [(h.published || "undated").slice(0, 10), h.source].filter(Boolean).join(" · ");
        li.append(a, meta);
        list.appendChild(li);
      });
      hit.querySelector(".hit-meta").after(list);
      link.setAttribute("aria-expanded", "true");
    });
  });
})();
