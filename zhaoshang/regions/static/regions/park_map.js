// Park map: prefecture boundaries of Yunnan with the user's parks as points; a prefecture drills down to counties.
(async function () {
  const box = document.getElementById("park-map");
  const chart = echarts.init(box);
  const startPrefecture = box.dataset.startPrefecture;
  const homeRegion = box.dataset.homeRegion;
  const fetchJson = (url) => fetch(url, { credentials: "same-origin" }).then((r) => r.json());
  const [province, data] = await Promise.all([fetchJson(box.dataset.provinceGeo), fetchJson(box.dataset.points)]);
  echarts.registerMap("yunnan", province);
  const prefectureByName = {};
  province.features.forEach((f) => { prefectureByName[f.properties.name] = f.properties.adcode; });
  const select = document.getElementById("prefecture-select");
  select.add(new Option("全省", ""));
  province.features.forEach((f) => select.add(new Option(f.properties.name, f.properties.adcode)));

  function render(mapName, parks, title, highlight) {
    document.getElementById("map-title").textContent = title;
    document.getElementById("map-park-count").textContent = parks.length;
    const regions = highlight ? [{ name: highlight, itemStyle: { areaColor: "#ffe8a3" } }] : [];
    chart.setOption({
      // Park names, levels and regions are data officers edit: escaped into the tooltip's HTML (core/escape.js).
      tooltip: { trigger: "item", formatter: (p) => (p.componentType === "series"
        ? `${escapeHtml(p.data.name)}<br>${escapeHtml(p.data.level)} · ${escapeHtml(p.data.zone_type)}<br>${escapeHtml(p.data.region)}${p.data.approximate ? "（近似位置）" : ""}`
        : escapeHtml(p.name)) },
      geo: { map: mapName, roam: true, regions, label: { show: true, fontSize: 10, color: "#445" },
             itemStyle: { areaColor: "#eef3f8", borderColor: "#7a8ca3" }, emphasis: { itemStyle: { areaColor: "#cfe2ff" } } },
      series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 13, data: parks,
                 itemStyle: { color: (p) => (p.data.approximate ? "#fff" : "#d9480f"), borderColor: "#d9480f", borderWidth: 1.5 } }],
    }, true);
    const tbody = document.querySelector("#map-table tbody");
    tbody.replaceChildren(...parks.map((p) => {
      const tr = document.createElement("tr");
      [p.name, p.level, p.zone_type, p.region, p.value[0], p.value[1]].forEach((v) => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
      return tr;
    }));
  }

  async function showProvince() {
    select.value = "";
    render("yunnan", data.parks, "全省", null);
  }

  async function showPrefecture(code) {
    const url = box.dataset.prefectureGeo.replace("CODE", code);
    const counties = await fetchJson(url);
    echarts.registerMap("p" + code, counties);
    const name = province.features.find((f) => f.properties.adcode === code).properties.name;
    const home = counties.features.find((f) => f.properties.adcode === homeRegion);
    select.value = code;
    render("p" + code, data.parks.filter((p) => p.prefecture === code), name, home ? home.properties.name : null);
  }

  chart.on("click", (p) => {
    const code = prefectureByName[p.name];
    if ((p.componentType === "geo") && code) showPrefecture(code);
    if (p.componentType === "series" && p.data.url) window.location.href = p.data.url;
  });
  select.addEventListener("change", () => (select.value ? showPrefecture(select.value) : showProvince()));
  document.getElementById("map-back").addEventListener("click", showProvince);
  document.getElementById("map-table-toggle").addEventListener("click", () => document.getElementById("map-table").classList.toggle("d-none"));
  window.addEventListener("resize", () => chart.resize());
  if (startPrefecture) await showPrefecture(startPrefecture); else await showProvince();
  box.dataset.ready = "1";
})();
