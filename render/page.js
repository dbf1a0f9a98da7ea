// flamelens's exported page: the flame graph on a canvas (click to zoom,
// search, values on hover), the function table, and for a comparison the
// differential graph or the two side by side and the diff table. The
// data is the JSON in #data (see render/html.go); nothing is fetched.
(function () {
  "use strict";
  const d = JSON.parse(document.getElementById("data").textContent);
  const N = d.parent.length;
  const kids = [];
  const depth = new Int32Array(N);
  for (let i = 0; i < N; i++) kids.push([]);
  let maxDepth = 0;
  for (let i = 1; i < N; i++) {
    kids[d.parent[i]].push(i);
    depth[i] = depth[d.parent[i]] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  const name = (n) => d.names[d.name[n]];
  const ROW = 18;

  // Values as flamelens writes them (model.FormatValue).
  function scaled(v, steps) {
    let s = steps[0];
    for (const c of steps.slice(1)) if (v >= c[0]) s = c;
    let out = (v / s[0]).toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    return out + s[1];
  }
  const decimals = { centicount: 2, millicount: 3, microcount: 6, nanocount: 9 };
  function fmt(v) {
    if (v === 0) return "0";
    const places = decimals[d.unit.toLowerCase()];
    if (places) return (v / Math.pow(10, places)).toFixed(places).replace(/0+$/, "").replace(/\.$/, "");
    const sign = v < 0 ? "-" : "";
    v = Math.abs(v);
    switch (d.unit.toLowerCase()) {
      case "nanoseconds": case "ns":
        return sign + scaled(v, [[1, "ns"], [1e3, "us"], [1e6, "ms"], [1e9, "s"], [60e9, "mins"], [3600e9, "hrs"]]);
      case "bytes": case "b":
        return sign + scaled(v, [[1, "B"], [1024, "kB"], [1048576, "MB"], [1073741824, "GB"], [1099511627776, "TB"]]);
    }
    return sign + String(v);
  }
  const signed = (v) => (v > 0 ? "+" : "") + fmt(v);
  function pct(v, total) {
    if (!total) return "0.00%";
    return (100 * v / total).toFixed(2) + "%";
  }

  // Colours: a warm hue per package, as the window's; in a comparison by
  // change, red grew and blue shrank.
  function pkgOf(s) {
    let head = s.split(/[[(]/)[0];
    const slash = head.lastIndexOf("/");
    const dot = head.indexOf(".", slash + 1);
    return dot < 0 ? "" : head.slice(0, dot);
  }
  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h;
  }
  function frameColour(n) {
    if (d.merged[n]) return "#c8c8c8";
    const p = pkgOf(name(n));
    if (!p) return "hsl(30,18%,62%)";
    // The package's hue, turned and lightened a little by the function's
    // own hash, so one package's frames are told apart (as the window).
    const v = hash(p), f = hash(name(n));
    const hue = (v % 56) + (f % 15) - 7 + 360;
    const light = 62 + (v >>> 16) % 8 + ((f >>> 8) % 15) - 7;
    return "hsl(" + (hue % 360) + "," + (62 + (v >>> 8) % 24) + "%," + light + "%)";
  }
  // As the window colours by default: by the change in a frame's own
  // (self) value, so a caller is not red for what its callees did.
  // A change of 5% of the total or more is at full colour (FullChange).
  let maxChange = 1;
  if (d.comparing) {
    maxChange = Math.max(1, 0.05 * Math.max(d.total[0], d.baseTotal));
    for (let i = 1; i < N; i++) {
      const c = Math.abs(d.self[i] - d.baseSelf[i]);
      if (c > maxChange) maxChange = c;
    }
  }
  function diffColour(n) {
    const delta = d.self[n] - d.baseSelf[n];
    if (Math.abs(delta) <= 0.001 * Math.max(d.baseTotal, 1)) return "#d4d4d4";
    const t = Math.sqrt(Math.abs(delta) / maxChange);
    const to = delta > 0 ? [215, 38, 30] : [31, 95, 208];
    const mix = (a, b) => Math.round(a * (1 - t) + b * t);
    return "rgb(" + mix(212, to[0]) + "," + mix(212, to[1]) + "," + mix(212, to[2]) + ")";
  }

  // State: the frame zoomed to, the search's matches, the view.
  let focus = 0;
  let hits = null; // Uint8Array of matched nodes, or null
  let mode = "diff";
  const canvases = [document.getElementById("flame0"), document.getElementById("flame1")];
  const boxes = [[], []];
  const tip = document.getElementById("tip");

  // valueOf is a node's width value in graph g: NEW's, or BASE's on the
  // left of a side-by-side view.
  const sideBySide = () => d.comparing && mode === "side";
  function valueOf(g, n) {
    return sideBySide() && g === 0 ? d.baseValue[n] : d.total[n];
  }

  function draw(g) {
    const canvas = canvases[g];
    const width = canvas.parentElement.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    const rows = maxDepth + 1;
    canvas.style.height = rows * ROW + "px";
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(rows * ROW * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, rows * ROW);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const out = [];
    const differential = d.comparing && mode === "diff";
    const box = (n, x, w, row, dim) => {
      const y = row * ROW;
      let fill = differential ? diffColour(n) : frameColour(n);
      ctx.globalAlpha = dim || (hits && !hits[n]) ? 0.35 : 1;
      if (hits && hits[n]) fill = "#d01cd0";
      ctx.fillStyle = fill;
      ctx.fillRect(x, y, Math.max(w - 1, 1), ROW - 1);
      ctx.globalAlpha = 1;
      if (w > 36) {
        ctx.fillStyle = hits && hits[n] ? "#fff" : "#111";
        const full = n === 0 ? "root" : name(n);
        const room = w - 6;
        // The whole name, else without its package path, else the last
        // part ("object"), as the window writes them; cut if need be.
        const slash = full.lastIndexOf("/", full.search(/[[(]/) >>> 0);
        const short = full.slice(slash + 1);
        const last = short.slice(short.lastIndexOf(".", short.search(/[[(]/) >>> 0) + 1);
        let label = [full, short, last].find((l) => ctx.measureText(l).width <= room) || last;
        if (ctx.measureText(label).width > room) {
          while (label.length > 1 && ctx.measureText(label + "…").width > room) label = label.slice(0, -1);
          label += "…";
        }
        ctx.fillText(label, x + 3, y + ROW / 2);
      }
      out.push({ n: n, x: x, y: y, w: w, h: ROW });
    };
    // The focus's callers, full width and dimmed, then its subtree.
    const path = [];
    for (let n = focus; n > 0; n = d.parent[n]) path.unshift(n);
    path.unshift(0);
    const top = valueOf(g, focus);
    for (let i = 0; i < path.length - 1; i++) box(path[i], 0, width, i, true);
    const stack = [[focus, 0, path.length - 1]];
    while (stack.length) {
      const [n, x, row] = stack.pop();
      const w = top > 0 ? width * valueOf(g, n) / top : 0;
      if (w < 0.5) continue;
      box(n, x, w, row, false);
      let cx = x;
      for (const c of kids[n]) {
        const cw = top > 0 ? width * valueOf(g, c) / top : 0;
        if (cw >= 0.5) stack.push([c, cx, row + 1]);
        cx += cw;
      }
    }
    boxes[g] = out;
  }

  function redraw() {
    document.getElementById("second").hidden = !sideBySide();
    document.getElementById("cap0").textContent = !d.comparing ? "" :
      sideBySide() ? "BASE · " + fmt(d.baseTotal) : "NEW − BASE: red grew, blue shrank (by self; widths are NEW's)";
    document.getElementById("cap1").textContent = sideBySide() ? "NEW · " + fmt(d.total[0]) : "";
    draw(0);
    if (sideBySide()) draw(1);
  }

  function boxAt(g, x, y) {
    const bs = boxes[g];
    for (let i = bs.length - 1; i >= 0; i--) {
      const b = bs[i];
      if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) return b;
    }
    return null;
  }

  function tipText(n) {
    const lines = [n === 0 ? "root" : name(n)];
    if (d.merged[n]) lines.push("click its caller to see them");
    if (d.comparing) {
      const delta = d.total[n] - d.baseValue[n];
      lines.push("NEW: " + fmt(d.total[n]) + " · BASE: " + fmt(d.baseValue[n]));
      lines.push("change: " + signed(delta) + " (" + pct(delta, d.baseTotal) + " of BASE)");
    } else {
      lines.push("total: " + fmt(d.total[n]) + " (" + pct(d.total[n], d.total[0]) + " of all)");
      lines.push("self: " + fmt(d.self[n]) + " (" + pct(d.self[n], d.total[0]) + " of all)");
    }
    return lines.join("\n");
  }

  canvases.forEach(function (canvas, g) {
    canvas.addEventListener("mousemove", function (e) {
      const r = canvas.getBoundingClientRect();
      const b = boxAt(g, e.clientX - r.left, e.clientY - r.top);
      if (!b) { tip.hidden = true; return; }
      tip.textContent = tipText(b.n);
      tip.hidden = false;
      tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4) + "px";
      tip.style.top = e.clientY + 16 + "px";
    });
    canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
    canvas.addEventListener("click", function (e) {
      const r = canvas.getBoundingClientRect();
      const b = boxAt(g, e.clientX - r.left, e.clientY - r.top);
      if (!b || d.merged[b.n]) return;
      focus = b.n;
      redraw();
    });
  });
  document.getElementById("reset").addEventListener("click", function () { focus = 0; redraw(); });

  // Search: a regexp (or the text as typed, if it is not one) against
  // function names; matches drawn in magenta, the rest dimmed.
  const found = document.getElementById("found");
  function search(q) {
    if (!q) { hits = null; found.textContent = ""; fillTable(); redraw(); return; }
    let re;
    try { re = new RegExp(q, "i"); } catch (err) { re = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"); }
    hits = new Uint8Array(N);
    const fnHit = d.names.map((s) => re.test(s));
    let count = 0;
    let share = 0;
    const seen = new Set();
    for (let i = 1; i < N; i++) {
      if (!d.merged[i] && fnHit[d.name[i]]) {
        hits[i] = 1;
        seen.add(d.name[i]);
        let outer = true; // counted once under a matched caller
        for (let p = d.parent[i]; p > 0; p = d.parent[p]) if (hits[p]) { outer = false; break; }
        if (outer) share += d.total[i];
      }
    }
    count = seen.size;
    found.textContent = count + " function" + (count === 1 ? "" : "s") + " · " + pct(share, d.total[0]) + " of total";
    fillTable();
    redraw();
  }
  document.getElementById("search").addEventListener("input", function (e) { search(e.target.value); });

  // The function table: flat and cum, or in a comparison both sides and
  // the change; sorted by a header's click; the first rows only.
  const TABLE_ROWS = 500;
  const cols = d.comparing
    ? [["function", (r) => d.names[r[0]]], ["base flat", (r) => r[3]], ["new flat", (r) => r[1]], ["flat change", (r) => r[1] - r[3]], ["cum change", (r) => r[2] - r[4]]]
    : [["function", (r) => d.names[r[0]]], ["flat", (r) => r[1]], ["flat%", (r) => r[1]], ["cum", (r) => r[2]], ["cum%", (r) => r[2]]];
  let sortCol = d.comparing ? 3 : 1;
  // Each value column in one unit, as the window's tables (model.Column):
  // the unit of its largest value (times never past seconds), two
  // decimals unless every value is a whole number of it ("740ms").
  function columnFormat(values) {
    const u = d.unit.toLowerCase();
    let steps = null;
    if (u === "nanoseconds" || u === "ns") steps = [[1, "ns"], [1e3, "us"], [1e6, "ms"], [1e9, "s"]];
    if (u === "bytes" || u === "b") steps = [[1, "B"], [1024, "kB"], [1048576, "MB"], [1073741824, "GB"], [1099511627776, "TB"]];
    if (!steps) return fmt;
    let most = 0;
    for (const v of values) most = Math.max(most, Math.abs(v));
    let s = steps[0];
    for (const c of steps.slice(1)) if (most >= c[0]) s = c;
    const whole = values.every((v) => v % s[0] === 0);
    return function (v) {
      if (v === 0) return "0";
      const f = v / s[0];
      if (whole || s[0] === 1) return f.toFixed(0) + s[1];
      if (Math.abs(f) < 0.005) return (v < 0 ? "-" : "") + "<0.01" + s[1];
      return f.toFixed(2) + s[1];
    };
  }
  const colFormat = cols.map((c, i) => (i === 0 ? null : columnFormat(d.table.map(c[1]))));
  function cell(c, r) {
    const v = cols[c][1](r);
    if (c === 0) return v;
    if (!d.comparing && (c === 2 || c === 4)) return pct(v, d.total[0]);
    return (d.comparing && c >= 3 && v > 0 ? "+" : "") + colFormat[c](v);
  }
  function fillTable() {
    const head = document.querySelector("#table thead");
    head.innerHTML = "";
    const tr = document.createElement("tr");
    cols.forEach(function (c, i) {
      const th = document.createElement("th");
      th.textContent = c[0] + (i === sortCol ? " ▾" : "");
      th.addEventListener("click", function () { sortCol = i; fillTable(); });
      tr.appendChild(th);
    });
    head.appendChild(tr);
    const key = cols[sortCol][1];
    const rows = d.table.slice();
    rows.sort(function (a, b) {
      const x = key(a), y = key(b);
      if (typeof x === "string") return x < y ? -1 : x > y ? 1 : 0;
      return Math.abs(y) - Math.abs(x) || (d.names[a[0]] < d.names[b[0]] ? -1 : 1);
    });
    const body = document.querySelector("#table tbody");
    body.innerHTML = "";
    const q = document.getElementById("search").value;
    let shown = 0;
    for (const r of rows) {
      if (shown >= TABLE_ROWS) break;
      const row = document.createElement("tr");
      if (hits && q) {
        let re;
        try { re = new RegExp(q, "i"); } catch (err) { re = null; }
        if (re && !re.test(d.names[r[0]])) continue;
        row.className = "hit";
      }
      for (let c = 0; c < cols.length; c++) {
        const td = document.createElement("td");
        td.textContent = cell(c, r);
        if (c === 0) td.title = d.names[r[0]];
        if (d.comparing && c === 3) td.className = r[1] - r[3] > 0 ? "grew" : r[1] - r[3] < 0 ? "shrank" : "";
        row.appendChild(td);
      }
      row.addEventListener("click", function () {
        const input = document.getElementById("search");
        input.value = "^" + d.names[r[0]].replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$";
        search(input.value);
      });
      body.appendChild(row);
      shown++;
    }
  }

  const modeSelect = document.getElementById("mode");
  if (d.comparing) {
    modeSelect.hidden = false;
    modeSelect.addEventListener("change", function () { mode = modeSelect.value; redraw(); });
  }
  document.getElementById("title").textContent = d.title;
  document.getElementById("summary").textContent = d.comparing
    ? d.type + ": NEW " + fmt(d.total[0]) + " · BASE " + fmt(d.baseValue[0]) + " · change " + signed(d.total[0] - d.baseValue[0]) + " (" + pct(d.total[0] - d.baseValue[0], d.baseTotal) + " of BASE)"
    : d.type + ": total " + fmt(d.total[0]) + " · " + (N - 1) + " frames";
  window.addEventListener("resize", redraw);
  fillTable();
  redraw();

  // For tests and scripts: where a function's widest frame is drawn, and
  // what is zoomed and matched.
  window.flamelens = {
    boxOf: function (fn, g) {
      let best = null;
      for (const b of boxes[g || 0]) if (b.n > 0 && name(b.n) === fn && (!best || b.w > best.w)) best = b;
      if (!best) return null;
      const r = canvases[g || 0].getBoundingClientRect();
      return { x: r.left + best.x + best.w / 2, y: r.top + best.y + best.h / 2, w: best.w };
    },
    focus: function () { return focus === 0 ? "root" : name(focus); },
    found: function () { return found.textContent; },
    tip: function () { return tip.hidden ? "" : tip.textContent; },
    pixel: function (fn) {
      const b = this.boxOf(fn);
      if (!b) return null;
      const r = canvases[0].getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const p = canvases[0].getContext("2d").getImageData(Math.round((b.x - r.left) * dpr), Math.round((b.y - r.top - 6) * dpr), 1, 1).data;
      return [p[0], p[1], p[2]];
    },
  };
})();
