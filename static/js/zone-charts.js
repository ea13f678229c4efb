/* Zone statistics charts: every <canvas data-zone-chart="ID"> is drawn with Chart.js from the JSON that
 * Django's json_script filter embedded as <script id="ID" type="application/json">. Labels arrive translated;
 * values are decimal strings (null = unknown, drawn as a gap). */
(function () {
  "use strict";

  function toNumber(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function config(spec) {
    var horizontal = Boolean(spec.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      title: { display: Boolean(spec.axis), text: spec.axis || "" },
    };
    scales[categoryAxis] = { stacked: Boolean(spec.stacked) };
    return {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset) {
          var copy = Object.assign({}, dataset, { data: dataset.data.map(toNumber) });
          if (copy.type === "line") {
            copy.spanGaps = false;
            copy.tension = 0.2;
          }
          return copy;
        }),
      },
      options: {
        responsive: true,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: scales,
      },
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-zone-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.zoneChart);
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      if (!spec.labels || spec.labels.length === 0) {
        canvas.hidden = true;
        return;
      }
      new window.Chart(canvas, config(spec));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
