// Monthly funds in place of one project: bars per month (total and from outside the province), a cumulative line.
// Amounts arrive as decimal strings; they become numbers only to be drawn. The tooltips show the server's formatted
// texts (core/formatting.py), escaped like every value put into a tooltip's HTML (core/escape.js); the table beside
// it is the exact view.
(function () {
  const box = document.getElementById("funds-chart");
  const data = JSON.parse(document.getElementById("funds-data").textContent);
  const chart = echarts.init(box);
  const num = (values) => values.map(Number);
  chart.setOption({
    title: { text: data.months.length ? "月度到位资金（万元）" : "暂无到位资金", left: "center", textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis", formatter: (items) => [escapeHtml(items[0].axisValue), ...items.map((p) => {
      const texts = [data.amount_text, data.outside_text, data.cumulative_text][p.seriesIndex];
      return `${p.marker}${escapeHtml(p.seriesName)}：${escapeHtml(texts[p.dataIndex])}`;
    })].join("<br>") },
    legend: { bottom: 0, data: ["到位资金", "其中省外", "累计"] },
    grid: { left: 60, right: 60, top: 40, bottom: 50 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "累计" }],
    series: [
      { name: "到位资金", type: "bar", data: num(data.amount), itemStyle: { color: "#1f4e79" } },
      { name: "其中省外", type: "bar", data: num(data.outside), itemStyle: { color: "#2e86c1" } },
      { name: "累计", type: "line", yAxisIndex: 1, data: num(data.cumulative), itemStyle: { color: "#d9480f" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  box.dataset.ready = "1";
  box.dataset.months = String(data.months.length);
})();
