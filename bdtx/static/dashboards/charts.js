/* Draws each dashboard chart from its json_script block (the table beside it holds the same figures).
   A hidden cell (<5, x) arrives as null: Chart.js draws no bar or point for it. */
(function () {
  "use strict";
  var colours = ["#0a58ca", "#198754", "#b35c00", "#6f42c1", "#b02a37"];
  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (data.horizontal) {
      // one band of bars a label: a long list of units grows the chart instead of squeezing it
      var band = data.datasets.length * 9 + 14;
      canvas.parentNode.style.height = Math.max(288, data.labels.length * band + 70) + "px";
    }
    var datasets = data.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, backgroundColor: colours[i % colours.length],
               borderColor: colours[i % colours.length], spanGaps: false, tension: 0.2 };
    });
    new Chart(canvas, {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
