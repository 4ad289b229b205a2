// Public park map: Yunnan's prefecture boundaries from the GeoJSON shipped with the platform, published parks as
// points; no tile server. Names are drawn by ECharts as text (its default tooltip escapes them).
(async function () {
  const box = document.getElementById("public-map");
  if (!box) return;
  const chart = echarts.init(box);
  const get = (url) => fetch(url).then((r) => r.json());
  const [province, data] = await Promise.all([get(box.dataset.provinceGeo), get(box.dataset.points)]);
  echarts.registerMap("yunnan", province);
  chart.setOption({
    tooltip: { trigger: "item" },
    geo: { map: "yunnan", roam: true, itemStyle: { areaColor: "#eef6ee", borderColor: "#6c8f6c" },
           emphasis: { itemStyle: { areaColor: "#cfe8cf" } } },
    series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 11, data: data.parks,
               itemStyle: { color: "#198754" } }],
  });
  chart.on("click", (p) => { if (p.componentType === "series" && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", () => chart.resize());
  box.dataset.ready = "1";
})();
