// Cockpit charts. Numbers come from the page's JSON (same figures as the tables beside each chart); the
// tooltips show the texts the server wrote with its one formatting helper (e.g. "35.63亿元"). Names are data
// (industries, places, regions): every value put into a tooltip's HTML goes through escapeHtml (core/escape.js).
(async function () {
  const data = JSON.parse(document.getElementById("cockpit-data").textContent);
  const yi = (wan) => Math.round(Number(wan) / 100) / 100;
  document.querySelectorAll("[data-toggle-table]").forEach((button) =>
    button.addEventListener("click", () => document.getElementById(button.dataset.toggleTable).classList.toggle("d-none")));
  const init = (id) => { const el = document.getElementById(id); return el ? echarts.init(el) : null; };

  const trend = init("chart-trend");
  trend && trend.setOption({
    tooltip: { trigger: "axis", formatter: (items) => [escapeHtml(items[0].axisValue), ...items.map((p) => {
      const row = data.trend[p.dataIndex];
      return `${p.marker}${escapeHtml(p.seriesName)}：${escapeHtml(p.seriesIndex === 0 ? row.this_year_text : row.last_year_text)}`;
    })].join("<br>") },
    legend: { data: ["本年", "上年同期"] },
    xAxis: { type: "category", data: data.trend.map((r) => r.month) }, yAxis: { type: "value", name: "亿元" },
    series: [{ name: "本年", type: "bar", data: data.trend.map((r) => yi(r.this_year_wan)) },
             { name: "上年同期", type: "line", data: data.trend.map((r) => yi(r.last_year_wan)) }],
  });
  const pie = (id, rows) => {
    const chart = init(id);
    chart && chart.setOption({ tooltip: { trigger: "item", formatter: (p) => `${escapeHtml(p.name)}：${escapeHtml((rows.find((r) => r.name === p.name) || {}).value_text)}（${escapeHtml(p.percent)}%）` },
      series: [{ type: "pie", radius: ["35%", "65%"], data: rows.map((r) => ({ name: r.name, value: yi(r.value_wan) })) }] });
  };
  pie("chart-industries", data.industries);
  pie("chart-sources", data.sources);

  const box = document.getElementById("cockpit-map");
  if (box) {
    const url = box.dataset.level === "1" ? box.dataset.provinceGeo : box.dataset.prefectureGeo.replace("CODE", box.dataset.code);
    const geo = await fetch(url, { credentials: "same-origin" }).then((r) => r.json());
    echarts.registerMap("cockpit", geo);
    const byName = {};
    geo.features.forEach((f) => { byName[f.properties.name] = f.properties.adcode; });
    const values = data.children.map((c) => ({ name: c.name, value: c.completion_pct === null ? null : Number(c.completion_pct), code: c.code }));
    const map = echarts.init(box);
    map.setOption({
      tooltip: { trigger: "item", formatter: (p) => `${escapeHtml(p.name)}<br>完成全年目标进度：${p.value === undefined || isNaN(p.value) ? "—" : escapeHtml(p.value) + "%"}` },
      visualMap: { min: 0, max: 100, text: ["100%", "0%"], calculable: true, inRange: { color: ["#fde2e1", "#f4a261", "#2a9d8f"] }, left: "left", bottom: 10 },
      series: [{ type: "map", map: "cockpit", label: { show: true, fontSize: 9 }, data: values }],
    });
    map.on("click", (p) => {
      const code = byName[p.name];
      if (code && box.dataset.level === "1") {
        const params = new URLSearchParams(window.location.search);
        params.set("region", code);
        window.location.search = params.toString();
      }
    });
    box.dataset.ready = "1";
  }
  document.body.dataset.cockpitReady = "1";
})();
