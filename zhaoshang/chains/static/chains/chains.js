// Chain pages: the chain map (ECharts tree), the diagnosis charts, the comparison chart and the placement list's
// "select all". Figures come from the page's JSON (the same as the tables beside each chart). Names come from data an
// administrator edits: the tree draws them on the canvas (no HTML), every tooltip escapes them with escapeHtml
// (core/escape.js), and the node panel is HTML the server rendered (htmx).
(function () {
  const json = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const checkAll = document.getElementById("check-all");
  checkAll && checkAll.addEventListener("change", () =>
    document.querySelectorAll("input[name=link]").forEach((box) => { box.checked = checkAll.checked; }));
  document.querySelectorAll("[data-toggle-table]").forEach((button) =>
    button.addEventListener("click", () => document.getElementById(button.dataset.toggleTable).classList.toggle("d-none")));

  const treeBox = document.getElementById("chain-tree");
  const tree = json("chain-tree-data");
  if (treeBox && tree) {
    let leaves = 0;
    const count = (n) => { if (!n.children || !n.children.length) { leaves += 1; } else { n.children.forEach(count); } };
    count(tree);
    treeBox.style.height = Math.max(500, leaves * 26 + 60) + "px";
    const chart = echarts.init(treeBox);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const d = p.data;
          if (!d.id) { return escapeHtml(d.name); }
          const lines = [`<strong>${escapeHtml(d.name)}</strong>${d.key ? "（关键环节）" : ""}`, `等级：${escapeHtml(d.grade_label)}${d.action_label ? " · 建议" + escapeHtml(d.action_label) : ""}`,
            `本地企业：${escapeHtml(d.enterprises)} 家 · 区位熵：${escapeHtml(d.lq ?? "—")}`];
          return lines.join("<br>");
        },
      },
      series: [{
        type: "tree", data: [tree], orient: "LR", symbol: "circle", top: 10, bottom: 10, left: 90, right: 220,
        initialTreeDepth: -1, expandAndCollapse: false, roam: true,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        lineStyle: { color: "#bbb" },
      }],
    });
    chart.on("click", (p) => {
      if (!p.data || !p.data.id) { return; }
      const url = treeBox.dataset.nodeUrl.replace("/nodes/0/", `/nodes/${p.data.id}/`);
      htmx.ajax("GET", url, { target: "#node-panel", swap: "innerHTML" });
    });
    window.addEventListener("resize", () => chart.resize());
    treeBox.dataset.ready = "1";
  }

  const diag = json("diagnosis-chart-data");
  if (diag) {
    const grades = document.getElementById("chart-grades");
    if (grades) {
      echarts.init(grades).setOption({
        tooltip: { trigger: "item", formatter: (p) => `${escapeHtml(p.name)}：${escapeHtml(p.value)} 个` },
        xAxis: { type: "category", data: diag.grades.map((g) => g.label) }, yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: diag.grades.map((g) => ({ value: g.count, itemStyle: { color: g.colour } })) }],
      });
    }
    const lq = document.getElementById("chart-lq");
    if (lq && diag.lq.length) {
      const rows = diag.lq.slice().reverse();
      echarts.init(lq).setOption({
        tooltip: { trigger: "item", formatter: (p) => `${escapeHtml(p.name)}：区位熵 ${escapeHtml(p.value)}` },
        grid: { left: 160, right: 30, top: 10, bottom: 30 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: rows.map((r) => r.name) },
        series: [{ type: "bar", data: rows.map((r) => Number(r.lq)), markLine: { data: [{ xAxis: 1 }], symbol: "none" } }],
      });
    }
    document.body.dataset.diagnosisReady = "1";
  }

  const compare = json("compare-chart-data");
  const compareBox = document.getElementById("chart-compare");
  if (compare && compareBox) {
    const names = compare.names.slice().reverse();
    const values = (list) => list.slice().reverse().map((v) => (v === null ? 0 : Number(v)));
    echarts.init(compareBox).setOption({
      tooltip: { trigger: "axis", formatter: (items) => [escapeHtml(items[0].axisValue), ...items.map((p) => `${escapeHtml(p.seriesName)}：${escapeHtml(p.value)}`)].join("<br>") },
      legend: { data: [compare.a_name, compare.b_name] },
      grid: { left: 160, right: 30, top: 30, bottom: 30 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: names },
      series: [{ name: compare.a_name, type: "bar", data: values(compare.a) }, { name: compare.b_name, type: "bar", data: values(compare.b) }],
    });
  }
})();
