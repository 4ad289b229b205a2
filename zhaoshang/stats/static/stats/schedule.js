// 序时进度 charts: completion of the annual target per indicator (and per child region) against elapsed time.
// Figures come from the page's JSON, the same as the tables under each chart; the tooltips show the texts the
// server wrote with its one formatting helper. Names are data: every text put into a tooltip's HTML goes through
// escapeHtml (core/escape.js, loaded by base.html).
(function () {
  const data = JSON.parse(document.getElementById("schedule-data").textContent);
  const elapsed = data.elapsed === null ? null : Number(data.elapsed);

  function draw(id, rows, label, empty) {
    const box = document.getElementById(id);
    if (!box) return;
    const chart = echarts.init(box);
    const projected = rows.some((row) => row.projected !== undefined && row.projected !== null);
    const highest = Math.max(100, ...rows.map((row) => (row.completion === null ? 0 : Number(row.completion))),
      ...rows.map((row) => (projected && row.projected !== null ? Number(row.projected) : 0)));
    chart.setOption({
      title: rows.some((row) => row.completion !== null) ? undefined
        : { text: empty, left: "center", top: "middle", textStyle: { fontSize: 13, color: "#6c757d", fontWeight: "normal" } },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (items) => {
          const row = rows[items[0].dataIndex];
          return [
            `<strong>${escapeHtml(label(row))}</strong>`,
            `累计完成：${escapeHtml(row.actual_text)}`,
            `全年目标：${escapeHtml(row.target_text)}`,
            `完成全年目标进度：${row.completion === null ? "—" : escapeHtml(row.completion) + "%"}`,
            `时序进度：${escapeHtml(row.elapsed)}%`,
            escapeHtml(row.status),
            ...(row.projected_text ? [`预计全年：${escapeHtml(row.projected_text)}` +
              (row.projected === null ? "" : `，为全年目标的${escapeHtml(row.projected)}%`)] : []),
          ].join("<br>");
        },
      },
      grid: { left: 20, right: 40, top: 30, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: rows.map(label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: "%", max: Math.ceil(highest / 10) * 10 },
      series: [{
        name: "完成全年目标进度",
        type: "bar",
        barMaxWidth: 48,
        data: rows.map((row) => ({
          value: row.completion === null ? null : Number(row.completion),
          itemStyle: { color: row.ahead !== null && Number(row.ahead) < 0 ? "#c92a2a" : "#2b8a3e" },
        })),
        markLine: elapsed === null ? undefined : {
          symbol: "none",
          label: { formatter: `时序进度 ${elapsed}%`, position: "insideEndTop" },
          lineStyle: { color: "#1f4e79", type: "dashed" },
          data: [{ yAxis: elapsed }],
        },
      }].concat(projected ? [{
        name: "预计全年完成率",
        type: "scatter",
        symbol: "diamond",
        symbolSize: 12,
        itemStyle: { color: "#e67700" },
        data: rows.map((row) => (row.projected === null ? null : Number(row.projected))),
      }] : []),
      legend: projected ? { data: ["完成全年目标进度", "预计全年完成率"], top: 0, right: 0 } : undefined,
    });
    window.addEventListener("resize", () => chart.resize());
    box.dataset.ready = "1";
    box.dataset.bars = String(rows.length);
    box.dataset.projected = String(rows.filter((row) => row.projected !== undefined && row.projected !== null).length);
  }

  // The node's own chart shows the indicators that have an annual target (the table lists them all).
  draw("schedule-own-chart", data.own.filter((row) => row.completion !== null), (row) => row.name,
    "本级尚未设定全年目标：见下表的完成情况");
  draw("schedule-children-chart", data.children, (row) => row.region, "下级尚未设定该指标的全年目标");
  document.body.dataset.scheduleReady = "1";
})();
